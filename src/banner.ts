import type { Config } from './config.ts';

/** What an operator needs to know at start: the mode, where the bot listens and how to talk to it. */
export function formatBanner(config: Readonly<Config>, url: string): string {
  const lines = [
    '',
    `Partner relationship bot is running at ${url}`,
    `  Teams:  ${url}/api/messages${config.MicrosoftAppId ? '' : ' (anonymous: development only)'}`,
    `  Slack:  ${!config.slackEnabled ? 'off (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET, or SLACK_APP_TOKEN for Socket Mode)' : config.SLACK_APP_TOKEN ? 'Socket Mode (connects out to Slack)' : `${url}/slack/events`}`,
    `  Health: ${url}/healthz  ${url}/readyz  ${url}/metrics`,
    `  Store:  ${describeStore(config.STORE_URL)}`,
  ];
  if (config.mode === 'local') {
    lines.push(
      '',
      'LOCAL MODE: no Partner Center credentials are set, so nothing talks to Microsoft.',
      ...(config.SIMULATOR_URL ? [`  Partner Center: the shared simulator at ${config.SIMULATOR_URL}`] : []),
      '  Chat with the bot in the Microsoft 365 Agents Playground: run `npm run playground` in another terminal',
      '  and open the address it prints. Type `help` to start.',
      '  For live mode, set PARTNER_TENANT_ID, PARTNER_CENTER_CLIENT_ID and PARTNER_CENTER_CLIENT_SECRET (see .env.sample).',
    );
  } else {
    lines.push('', `LIVE MODE: Partner Center at ${config.PARTNER_CENTER_API_URL}, partner tenant ${config.PARTNER_TENANT_ID}.`);
  }
  return `${lines.join('\n')}\n`;
}

/** The store's kind and place, without credentials. */
function describeStore(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol === 'sqlite:') return `SQLite ${url.slice('sqlite://'.length)}`;
  return `${parsed.protocol.replace(':', '')} ${parsed.hostname}${parsed.port ? `:${parsed.port}` : ''}`;
}
