/**
 * Parent side of a benchmark's load generator (bench/support/ingest-load.ts, bench/support/soak-load.ts):
 * forks the script with an IPC channel, so the client never shares the servers' event loop, and asks it
 * one message at a time. An answer of `{ type: 'error', message }` rejects.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface LoadProcess<ToChild, FromChild> {
  ask(message: ToChild): Promise<FromChild>;
  /** Asks the child to exit (`{ type: 'exit' }`), and kills it 2 s later if it has not. */
  stop(): void;
}

export function startLoadProcess<ToChild extends { type: string }, FromChild extends { type: string }>(script: URL): LoadProcess<ToChild, FromChild> {
  const child: ChildProcess = fork(fileURLToPath(script), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return {
    ask: (message) =>
      new Promise((resolve, reject) => {
        const onExit = (code: number | null) => reject(new Error(`the load generator exited (${code}) before answering`));
        child.once('exit', onExit);
        child.once('message', (answer: FromChild) => {
          child.off('exit', onExit);
          if (answer.type === 'error') reject(new Error(`load generator: ${(answer as { message?: string }).message}`));
          else resolve(answer);
        });
        child.send(message);
      }),
    stop: () => {
      if (child.connected) child.send({ type: 'exit' });
      setTimeout(() => child.kill(), 2000).unref();
    },
  };
}
