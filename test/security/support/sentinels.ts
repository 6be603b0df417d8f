/**
 * Secret values with a recognisable shape, so a test can search every captured log line and `/metrics` for
 * them. Each one is unique text that no legitimate output would contain.
 */
export const TEAMS_APP_PASSWORD = 'sentinel-app-password-Qx7v';
export const SLACK_SIGNING_SECRET_SENTINEL = 'sentinel-slack-signing-secret-Jk2m';
export const SLACK_BOT_TOKEN_SENTINEL = 'xoxb-sentinel-slack-bot-token-Wd4p';
export const PARTNER_CENTER_CLIENT_SECRET_SENTINEL = 'sentinel-pc-client-secret-Lr8t';
export const REFRESH_TOKEN_SENTINEL = 'sentinel-refresh-token-Hc3n';
export const WEBHOOK_TOKEN_SENTINEL = 'sentinel-webhook-token-Zb6y';
export const SECRETS_KEY_SENTINEL = 'sentinel-secrets-key-Mv9q-0123456789abcdef';

/** Every sentinel by the setting that carries it. */
export const SENTINELS: Record<string, string> = {
  MicrosoftAppPassword: TEAMS_APP_PASSWORD,
  SLACK_SIGNING_SECRET: SLACK_SIGNING_SECRET_SENTINEL,
  SLACK_BOT_TOKEN: SLACK_BOT_TOKEN_SENTINEL,
  PARTNER_CENTER_CLIENT_SECRET: PARTNER_CENTER_CLIENT_SECRET_SENTINEL,
  PARTNER_CENTER_REFRESH_TOKEN: REFRESH_TOKEN_SENTINEL,
  PARTNER_CENTER_WEBHOOK_TOKEN: WEBHOOK_TOKEN_SENTINEL,
  SECRETS_KEY: SECRETS_KEY_SENTINEL,
};

/** The names of the sentinels (or other secrets passed in) that occur in `text`. */
export function findLeaks(text: string, secrets: Record<string, string> = SENTINELS): string[] {
  return Object.entries(secrets)
    .filter(([, secret]) => text.includes(secret))
    .map(([name]) => name);
}
