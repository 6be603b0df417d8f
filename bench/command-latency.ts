/**
 * `request relationship` latency: from a Teams activity POST to the reply card arriving at the fake Bot
 * Connector, with the invitation link cached, next to a bare botbuilder echo bot measured in the same run.
 *
 * Both bots run in this process on 127.0.0.1 and reply to the same fake connector. Requests go one at a
 * time (one in flight), alternating between the two bots so machine noise hits both alike: first a
 * warm-up that is not counted, then MEASURED requests to each. The ratio compares the p99s.
 *
 *   node --import tsx --expose-gc bench/command-latency.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startBot, type RunningBot } from '../src/app.ts';
import { readConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { createRelationshipRequestUrl } from '../src/simulator/customers.routes.ts';
import { SIMULATOR_PARTNER_TENANT_ID } from '../src/simulator/defaults.ts';
import { createFakeBotConnector, type ActivityBody } from '../test/fakes/fake-bot-connector.ts';
import { buildPersonalMessage, FAKE_TENANT_ID } from '../test/fakes/teams-activity.ts';
import { startEchoBot, type EchoBot } from './support/echo-bot.ts';
import { formatMs, formatRatio, percentile } from './support/latency.ts';
import { createSequentialClient } from './support/sequential-client.ts';

const MEASURED = 2000;
const WARM_UP = 200;
const COMMAND = 'request relationship';
const ECHO_TEXT = 'hello echo';
const TARGET_P99_MS = 20;
const TARGET_RATIO = 1.5;
const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';
const LINK_PATH = '/v1/customers/relationshiprequests';
/** The invitation card carries the simulator's link verbatim; an error card (also adaptive) does not. */
const LINK_IN_JSON = JSON.stringify(createRelationshipRequestUrl(SIMULATOR_PARTNER_TENANT_ID)).slice(1, -1);

/** Checked after the clock has stopped, so it costs the measurement nothing. */
function assertCard(reply: ActivityBody): void {
  const attachment = reply.attachments?.[0];
  if (attachment?.contentType !== ADAPTIVE_CARD || !JSON.stringify(attachment.content).includes(LINK_IN_JSON)) {
    throw new Error(`expected the invitation card with the link, got ${JSON.stringify(reply).slice(0, 300)}`);
  }
}

function assertEcho(reply: ActivityBody): void {
  if (reply.text !== ECHO_TEXT) throw new Error(`expected the echo "${ECHO_TEXT}", got ${JSON.stringify(reply).slice(0, 300)}`);
}

async function main(): Promise<void> {
  const folder = mkdtempSync(path.join(tmpdir(), 'bench-command-'));
  const connector = createFakeBotConnector();
  const client = createSequentialClient(connector);
  let bot: RunningBot | undefined;
  let echo: EchoBot | undefined;
  try {
    await connector.start();
    const config = readConfig({
      PORT: '0',
      STORE_URL: `sqlite://${path.join(folder, 'bench.sqlite')}`,
      LOCAL_MODE_FILE: path.join(folder, 'local-mode.json'),
      LOG_LEVEL: 'silent',
      TEAMS_ALLOWED_TENANTS: FAKE_TENANT_ID,
    });
    if (config.mode !== 'local' || config.slackEnabled) throw new Error('the benchmark expects local mode with Slack off');
    bot = await startBot({ config, log: createLogger(config.LOG_LEVEL), host: '127.0.0.1' });
    echo = await startEchoBot();
    const botUrl = `${bot.url}/api/messages`;
    const echoUrl = `${echo.url}/api/messages`;
    // Activities are built and serialised before the clock starts.
    const commandBody = () => JSON.stringify(buildPersonalMessage({ serviceUrl: connector.url, text: COMMAND }));
    const echoBody = () => JSON.stringify(buildPersonalMessage({ serviceUrl: connector.url, text: ECHO_TEXT }));

    // The first request fetches the invitation link from the simulator and caches it.
    assertCard((await client.send(botUrl, commandBody())).reply);

    const command: number[] = [];
    const baseline: number[] = [];
    for (let round = 0; round < WARM_UP + MEASURED; round += 1) {
      // A full collection between warm-up and measurement, so warm-up garbage is not charged to the first measured requests.
      if (round === WARM_UP) globalThis.gc?.();
      const measured = round >= WARM_UP;
      const commandRun = await client.send(botUrl, commandBody());
      assertCard(commandRun.reply);
      const echoRun = await client.send(echoUrl, echoBody());
      assertEcho(echoRun.reply);
      if (measured) {
        command.push(commandRun.latencyMs);
        baseline.push(echoRun.latencyMs);
      }
    }

    const linkFetches = bot.simulator?.controls.requestCount(LINK_PATH);
    if (linkFetches !== 1) throw new Error(`expected the invitation link to be fetched once and then cached, got ${linkFetches} fetches`);

    const commandP50 = percentile(command, 50);
    const commandP99 = percentile(command, 99);
    const echoP50 = percentile(baseline, 50);
    const echoP99 = percentile(baseline, 99);
    const ratio = commandP99 / echoP99;
    const met = commandP99 <= TARGET_P99_MS && ratio <= TARGET_RATIO;
    process.stdout.write(
      [
        `command_p50_ms: ${formatMs(commandP50)} ms`,
        `command_p99_ms: ${formatMs(commandP99)} ms`,
        `echo_p50_ms: ${formatMs(echoP50)} ms`,
        `echo_p99_ms: ${formatMs(echoP99)} ms`,
        `command_vs_echo_p99_ratio: ${formatRatio(ratio)}`,
        `target: p99 <= ${TARGET_P99_MS} ms and ratio <= ${TARGET_RATIO}: ${met ? 'met' : 'missed'}`,
        '',
      ].join('\n'),
    );
  } finally {
    client.close();
    await Promise.allSettled([bot?.stop(), echo?.stop()]);
    await connector.stop();
    rmSync(folder, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`command-latency failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
