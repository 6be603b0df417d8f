/**
 * The Partner Center simulator in a process of its own, for benchmarks that measure the bot's memory and
 * time: in production Partner Center's work happens on Microsoft's side, not in the bot's heap or on its
 * event loop. Started with `fork` (IPC), it reports `{ type: 'ready', url }`, adds customers on
 * `{ type: 'add-customers', count }` (answering `{ type: 'added', ids }`), and stops when the parent
 * disconnects.
 *
 *   fork('bench/support/simulator-process.ts', ['--seed-customers', '100000'], { execArgv: ['--import', 'tsx'] })
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createPartnerCenterSimulator } from '../../src/simulator/simulator.ts';

type ToChild = { type: 'add-customers'; count: number };
type FromChild = { type: 'ready'; url: string } | { type: 'added'; ids: string[] };

export interface SimulatorProcess {
  url: string;
  addCustomers(count: number): Promise<string[]>;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;

/** Parent side: forks this file and waits until the simulator listens. */
export async function startSimulatorProcess(seedCustomers: number): Promise<SimulatorProcess> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--seed-customers', String(seedCustomers)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = <T extends FromChild['type']>(type: T): Promise<Extract<FromChild, { type: T }>> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the simulator process sent no "${type}" within ${READY_TIMEOUT_MS / 1000} s`)), READY_TIMEOUT_MS);
      const onMessage = (message: FromChild) => {
        if (message.type !== type) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(message as Extract<FromChild, { type: T }>);
      };
      const onExit = (code: number | null) => {
        clearTimeout(timer);
        reject(new Error(`the simulator process exited (${code}) before "${type}"`));
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const { url } = await next('ready');
  return {
    url,
    async addCustomers(count) {
      const added = next('added');
      child.send({ type: 'add-customers', count } satisfies ToChild);
      return (await added).ids;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.disconnect();
      await exited;
    },
  };
}

/** Child side. */
async function runChild(): Promise<void> {
  const at = process.argv.indexOf('--seed-customers');
  const seedCustomers = Number(process.argv[at + 1] ?? 0);
  const simulator = createPartnerCenterSimulator({ seedCustomers });
  const { url } = await simulator.start(0, '127.0.0.1');
  let added = 0;
  process.on('message', (message: ToChild) => {
    if (message.type !== 'add-customers') return;
    const ids = Array.from({ length: message.count }, () => {
      added += 1;
      return simulator.controls.addCustomer({ companyName: `Bench Neukunde ${added} GmbH`, domain: `bench-neukunde-${added}.de` }).id;
    });
    process.send?.({ type: 'added', ids } satisfies FromChild);
  });
  process.once('disconnect', () => void simulator.stop().finally(() => process.exit(0)));
  process.send?.({ type: 'ready', url } satisfies FromChild);
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.send) await runChild();
