/**
 * `npm run simulator [-- --port N]`: the Partner Center simulator on its own, for trying the client or a
 * live-mode bot against it. Prints the settings that point a bot at it.
 */
import { SIMULATOR_CLIENT_ID, SIMULATOR_CLIENT_SECRET, SIMULATOR_PARTNER_TENANT_ID, SIMULATOR_REFRESH_TOKEN } from './defaults.ts';
import { startSimulator } from './simulator.ts';

function portFrom(args: readonly string[]): number {
  const at = args.indexOf('--port');
  const port = at === -1 ? 0 : Number(args[at + 1]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port needs a number from 0 to 65535, got ${args[at + 1]}`);
  return port;
}

const simulator = await startSimulator({ port: portFrom(process.argv.slice(2)), host: '127.0.0.1' });
process.stdout.write(
  [
    `Partner Center simulator listening at ${simulator.url}`,
    'Point local-mode bots (any number of replicas) at it with:',
    `  SIMULATOR_URL=${simulator.url}`,
    '  PARTNER_CENTER_WEBHOOK_TOKEN=<the same secret for every replica>',
    'or a live-mode bot with:',
    `  PARTNER_CENTER_API_URL=${simulator.url}`,
    `  GRAPH_API_URL=${simulator.url}`,
    `  ENTRA_AUTHORITY_URL=${simulator.url}`,
    `  PARTNER_TENANT_ID=${SIMULATOR_PARTNER_TENANT_ID}`,
    `  PARTNER_CENTER_CLIENT_ID=${SIMULATOR_CLIENT_ID}`,
    `  PARTNER_CENTER_CLIENT_SECRET=${SIMULATOR_CLIENT_SECRET}`,
    `  PARTNER_CENTER_REFRESH_TOKEN=${SIMULATOR_REFRESH_TOKEN}`,
    '',
  ].join('\n'),
);
const stop = (): void => {
  void simulator.stop().finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
