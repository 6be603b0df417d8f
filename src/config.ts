/**
 * The only reader of the environment. One zod schema, one frozen typed object. `readConfig(env)` takes
 * the environment as an argument so tests can feed it (probot style); problems come back as one readable
 * line each, and `main.ts` prints them and exits 1.
 */
import { z } from 'zod';
import { parseAccessAssignments } from './core/restoration/access-assignments.ts';
import { STORE_PREFIX_PATTERN } from './store/store-support.ts';

const GLOBAL_READER = 'f2ef992c-3afb-46b9-b7cf-a126ee74c451';
const HELPDESK_ADMINISTRATOR = '729827e3-9c14-49f7-bb1b-9608f156bbb8';
/** The partner the simulator plays in local mode, unless PARTNER_DISPLAY_NAME says otherwise. */
export const LOCAL_PARTNER_NAME = 'Contoso Cloud Partner';
/** The tenant the Microsoft 365 Agents Playground puts on its activities (local mode's default allow-list). */
export const PLAYGROUND_TENANT_ID = '00000000-0000-0000-0000-0000000000001';
/** The Agents Playground's default user (Alex Wilber): local mode's admin, so `subscribe` can be tried. */
export const PLAYGROUND_ADMIN = 'teams:00000000-0000-0000-0000-0000000000020';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value ? value : undefined));

const list = z
  .string()
  .optional()
  .transform((value) => (value ?? '').split(',').map((item) => item.trim()).filter(Boolean));

const httpUrl = (fallback: string) =>
  z
    .string()
    .trim()
    .default(fallback)
    .transform((value) => value || fallback)
    .pipe(z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }))
    .transform((value) => value.replace(/\/+$/, ''));

const adminEntry = z.string().regex(/^(teams|slack):\S+$/, 'entries must look like teams:<aadObjectId> or slack:<userId>');

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  PUBLIC_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: optionalText,
  STORE_URL: z
    .string()
    .trim()
    .default('sqlite://./data/bot.sqlite')
    .refine((value) => /^(sqlite|redis|rediss|postgres|postgresql):\/\//.test(value), {
      message: 'must start with sqlite://, redis://, rediss:// or postgresql://',
    }),
  /** Namespaces every Redis key and SQL table, so several bots (or test runs) can share one server. */
  STORE_PREFIX: z
    .string()
    .trim()
    .default('prb')
    .refine((value) => STORE_PREFIX_PATTERN.test(value), { message: 'must start with a letter; letters, digits and underscores only (at most 40)' }),
  MicrosoftAppId: optionalText,
  MicrosoftAppPassword: optionalText,
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional(),
  MicrosoftAppTenantId: optionalText,
  SLACK_BOT_TOKEN: optionalText,
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_API_URL: z.string().trim().default('https://slack.com/api/').pipe(z.url({ protocol: /^https?$/ })),
  PARTNER_TENANT_ID: optionalText,
  PARTNER_CENTER_CLIENT_ID: optionalText,
  PARTNER_CENTER_CLIENT_SECRET: optionalText,
  PARTNER_CENTER_REFRESH_TOKEN: optionalText,
  SECRETS_KEY: optionalText,
  PARTNER_CENTER_API_URL: httpUrl('https://api.partnercenter.microsoft.com'),
  GRAPH_API_URL: httpUrl('https://graph.microsoft.com'),
  ENTRA_AUTHORITY_URL: httpUrl('https://login.microsoftonline.com'),
  PARTNER_CENTER_WEBHOOK_TOKEN: optionalText,
  PARTNER_CENTER_CERT_URL_PREFIXES: list.transform((items) =>
    items.length ? items : ['https://3psostorageacct.blob.core.windows.net/cert/'],
  ),
  PARTNER_CENTER_TRUSTED_CA_FILE: optionalText,
  TEAMS_ALLOWED_TENANTS: list,
  SLACK_ALLOWED_TEAMS: list,
  BOT_ADMINS: list.pipe(z.array(adminEntry)),
  PARTNER_DISPLAY_NAME: optionalText,
  INVITATION_LINK_CACHE_MINUTES: z.coerce.number().min(0).max(7 * 24 * 60).default(360),
  DEFAULT_LOCALE: z.enum(['en', 'de']).default('en'),
  POLL_INTERVAL_MINUTES: z.coerce.number().min(0).default(15),
  /** How long a replica's claim on a notification lasts: a crashed replica's sends move to another after it. */
  OUTBOX_CLAIM_SECONDS: z.coerce.number().min(1).max(3600).default(30),
  GDAP_DEFAULT_ROLES: list
    .pipe(z.array(z.string().regex(GUID, 'must be Entra role template ids (GUIDs)')))
    .transform((items) => (items.length ? items : [GLOBAL_READER, HELPDESK_ADMINISTRATOR])),
  GDAP_DEFAULT_DURATION: z
    .string()
    .trim()
    .default('P730D')
    .refine((value) => /^P\d+D$/.test(value) && Number(value.slice(1, -1)) >= 1 && Number(value.slice(1, -1)) <= 730, {
      message: 'must be an ISO-8601 duration in days between P1D and P730D',
    }),
  GDAP_ACCESS_ASSIGNMENTS: optionalText,
  /** Local mode: where the bot leaves the simulator's address and control token for `npm run simulate`. */
  LOCAL_MODE_FILE: z.string().trim().default('./data/local-mode.json'),
  /** Local mode: an already running simulator (`npm run simulator`) instead of one inside this process; replicas share it. */
  SIMULATOR_URL: optionalText.pipe(z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional()).transform((value) => value?.replace(/\/+$/, '')),
});

type Env = z.infer<typeof schema>;

export type Mode = 'local' | 'live';

export interface Config extends Env {
  mode: Mode;
  production: boolean;
  teamsAllowedTenants: readonly string[];
  slackEnabled: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is not valid:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Validates the environment and returns a frozen config, or throws a ConfigError listing every problem. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  // An empty variable (as in a copied .env.sample) means "not set": its default applies.
  const given = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const parsed = schema.safeParse(given);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`));
  }
  const config = deriveConfig(parsed.data);
  const problems = findRuleViolations(config);
  if (problems.length) throw new ConfigError(problems);
  return Object.freeze(config);
}

function deriveConfig(env: Env): Config {
  const live = Boolean(env.PARTNER_TENANT_ID || env.PARTNER_CENTER_CLIENT_ID || env.PARTNER_CENTER_CLIENT_SECRET);
  const defaultTenant = env.MicrosoftAppTenantId ?? env.PARTNER_TENANT_ID ?? (live ? undefined : PLAYGROUND_TENANT_ID);
  return {
    ...env,
    mode: live ? 'live' : 'local',
    production: env.NODE_ENV === 'production',
    teamsAllowedTenants: env.TEAMS_ALLOWED_TENANTS.length ? env.TEAMS_ALLOWED_TENANTS : defaultTenant ? [defaultTenant] : [],
    slackEnabled: Boolean(env.SLACK_BOT_TOKEN || env.SLACK_SIGNING_SECRET || env.SLACK_APP_TOKEN),
    PARTNER_DISPLAY_NAME: env.PARTNER_DISPLAY_NAME ?? (live ? undefined : LOCAL_PARTNER_NAME),
    BOT_ADMINS: env.BOT_ADMINS.length || live ? env.BOT_ADMINS : [PLAYGROUND_ADMIN],
  };
}

/** Rules that span several variables; each returns one readable line. */
function findRuleViolations(config: Config): string[] {
  const problems: string[] = [];
  const need = (condition: unknown, problem: string): void => {
    if (!condition) problems.push(problem);
  };
  const assignments = parseAccessAssignments(config.GDAP_ACCESS_ASSIGNMENTS);
  if (!assignments.ok) problems.push(`GDAP_ACCESS_ASSIGNMENTS: ${assignments.problem}`);
  if (config.production) {
    need(config.MicrosoftAppId, 'MicrosoftAppId: required when NODE_ENV=production (anonymous Teams requests are for development only)');
    need(config.mode === 'live', 'PARTNER_TENANT_ID, PARTNER_CENTER_CLIENT_ID, PARTNER_CENTER_CLIENT_SECRET: required when NODE_ENV=production (local mode is for trying the bot)');
  }
  if (config.MicrosoftAppId && config.MicrosoftAppType !== 'UserAssignedMSI') {
    need(config.MicrosoftAppPassword, 'MicrosoftAppPassword: required when MicrosoftAppId is set (unless MicrosoftAppType=UserAssignedMSI)');
  }
  if (config.MicrosoftAppType === 'SingleTenant' || config.MicrosoftAppType === 'UserAssignedMSI') {
    need(config.MicrosoftAppTenantId, `MicrosoftAppTenantId: required when MicrosoftAppType=${config.MicrosoftAppType}`);
  }
  if (config.slackEnabled) {
    need(config.SLACK_BOT_TOKEN, 'SLACK_BOT_TOKEN: required when Slack is configured');
    // Socket Mode: Slack connects out with the app token, and no request reaches /slack/events to sign.
    need(config.SLACK_SIGNING_SECRET || config.SLACK_APP_TOKEN, 'SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN (every Slack request must be signed), unless SLACK_APP_TOKEN turns on Socket Mode');
    need(config.SLACK_ALLOWED_TEAMS.length, 'SLACK_ALLOWED_TEAMS: required when Slack is on (comma list of Slack team ids)');
  }
  if (config.SIMULATOR_URL) {
    need(config.mode === 'local', 'SIMULATOR_URL: local mode only (live mode talks to PARTNER_CENTER_API_URL, GRAPH_API_URL and ENTRA_AUTHORITY_URL)');
    need(config.PARTNER_CENTER_WEBHOOK_TOKEN, 'PARTNER_CENTER_WEBHOOK_TOKEN: required with SIMULATOR_URL (every replica must accept the webhook URL the simulator calls)');
  }
  if (config.mode === 'live') {
    need(config.PARTNER_TENANT_ID && config.PARTNER_CENTER_CLIENT_ID && config.PARTNER_CENTER_CLIENT_SECRET,
      'PARTNER_TENANT_ID, PARTNER_CENTER_CLIENT_ID, PARTNER_CENTER_CLIENT_SECRET: set all three for live mode, or none for local mode');
    need(config.PARTNER_CENTER_WEBHOOK_TOKEN, 'PARTNER_CENTER_WEBHOOK_TOKEN: required in live mode');
    need(!config.PARTNER_CENTER_REFRESH_TOKEN || config.SECRETS_KEY, 'SECRETS_KEY: required with PARTNER_CENTER_REFRESH_TOKEN (Entra rotates the token and the bot keeps the new one encrypted in the store)');
    need(config.PARTNER_DISPLAY_NAME, 'PARTNER_DISPLAY_NAME: required in live mode (your name as customers see it in the invitation)');
  }
  return problems;
}

/** Loads `.env` from the working directory into the environment when there is one (Node's own loader). */
export function loadDotEnv(path = '.env'): boolean {
  try {
    process.loadEnvFile(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
