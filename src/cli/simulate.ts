/**
 * `npm run simulate -- <scenario> [customer]`: makes the Partner Center simulator inside a running
 * local-mode bot change its state and send the matching signed webhook event to the bot (accept,
 * remove-admin, gdap-approve, …). It finds the simulator through LOCAL_MODE_FILE, which the bot writes at
 * start in local mode. Prints one line; exits 1 when the bot is not running in local mode or did not take
 * the event, 2 on a usage error.
 */
import { loadDotEnv, readConfig } from '../config.ts';
import { readLocalModeFile, type LocalModeInfo } from '../simulator/local-mode-file.ts';
import { describeScenarioResult } from '../simulator/scenarios/describe-result.ts';
import { SCENARIO_NAMES, type ScenarioResult } from '../simulator/scenarios/index.ts';

const USAGE = `usage: npm run simulate -- <scenario> [customer]\n  scenarios: ${SCENARIO_NAMES.join(', ')}\n  customer: a company name, domain or tenant id (default: a sensible one per scenario)`;
const TIMEOUT_MS = 30_000;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

function findBot(file: string): LocalModeInfo {
  const info = readLocalModeFile(file);
  if (!info) throw new CliError(`The bot is not running in local mode (no readable ${file}). Start it with \`npm start\` without Partner Center credentials, then try again.`);
  const url = URL.canParse(info.simulatorUrl) ? new URL(info.simulatorUrl) : undefined;
  // The control token only ever goes to a simulator on this machine.
  if (!url || url.protocol !== 'http:' || !LOOPBACK_HOSTS.has(url.hostname)) throw new CliError(`${file} does not name a local simulator; restart the bot to rewrite it.`);
  return info;
}

async function runScenario(info: LocalModeInfo, scenario: string, customer: string | undefined): Promise<ScenarioResult> {
  let response: Response;
  try {
    response = await fetch(`${info.simulatorUrl}/_simulator/scenarios/${encodeURIComponent(scenario)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${info.controlToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(customer ? { customer } : {}),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch {
    throw new CliError(`The bot is not running in local mode (nothing answers at ${info.simulatorUrl}; the bot at ${info.botUrl} may have stopped). Start it with \`npm start\`.`);
  }
  const body = (await response.json().catch(() => ({}))) as Partial<ScenarioResult> & { message?: string };
  if (response.status === 401) throw new CliError('The simulator refused the control token: the file belongs to an older bot. Restart the bot.');
  if (response.status === 404 && body.message?.startsWith('unknown scenario')) throw new CliError(`${body.message}\n${USAGE}`, 2);
  if (!response.ok) throw new CliError(`${scenario}: ${body.message ?? `the simulator answered HTTP ${response.status}`}`);
  return body as ScenarioResult;
}

async function main(args: readonly string[]): Promise<number> {
  const [scenario, ...rest] = args;
  if (!scenario || scenario === '--help' || scenario === '-h') {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  loadDotEnv();
  const info = findBot(readConfig().LOCAL_MODE_FILE);
  const result = await runScenario(info, scenario, rest.join(' ').trim() || undefined);
  process.stdout.write(`${describeScenarioResult(result)}\n`);
  return result.delivery.delivered ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`simulate: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(error instanceof CliError ? error.exitCode : 1);
  },
);
