import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { childEnv } from './child-env.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const LISTENING = /Listening on (\d+)/;

export interface PlaygroundProcess {
  child: ChildProcess;
  /** The playground's web client, on loopback. */
  url: string;
  output(): string;
  /** Signals the whole process group (npm does not forward signals) and resolves once it has exited. */
  stop(): Promise<string>;
}

export interface PlaygroundOptions {
  /** The port `npm start` listens on: the playground posts to http://localhost:<botPort>/api/messages. */
  botPort: number;
  /** Where the playground writes its own log (keeps data/ in the working tree untouched). */
  logFile: string;
  timeoutMs?: number;
}

/**
 * Runs `npm run playground` as a person would, on a port the system picks (PLAYGROUND_PORT=0), and waits
 * for its `Listening on N` line. TEAMSAPPTESTER_BROWSER=none: the playground must never try to open a
 * browser of its own (where xdg-open exists it would; where it does not, the playground exits 1).
 */
export function startPlayground({ botPort, logFile, timeoutMs = 20_000 }: PlaygroundOptions): Promise<PlaygroundProcess> {
  const child = spawn('npm', ['run', 'playground', '--silent'], {
    cwd: ROOT,
    env: childEnv({
      PORT: String(botPort),
      PLAYGROUND_PORT: '0',
      TEAMSAPPTESTER_BROWSER: 'none',
      M365_AGENTS_PLAYGROUND_LOGFILE: logFile,
    }),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));

  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // the group is already gone
    }
  };
  const stop = async (): Promise<string> => {
    signalGroup('SIGTERM');
    const killer = setTimeout(() => signalGroup('SIGKILL'), 3000);
    await closed;
    clearTimeout(killer);
    // The CLI may have left children in the group after npm itself exited.
    signalGroup('SIGKILL');
    return output;
  };

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`npm run playground: no "Listening on" within ${timeoutMs} ms; output:\n${output}`));
    }, timeoutMs);
    const onData = (): void => {
      const match = LISTENING.exec(output);
      if (!match?.[1]) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      resolve({ child, url: `http://127.0.0.1:${match[1]}/`, output: () => output, stop });
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm run playground exited with ${code} before listening; output:\n${output}`));
    });
  });
}
