import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { childEnv } from './child-env.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BANNER = /Partner relationship bot is running at (http:\/\/\S+)/;

export interface BotProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  /**
   * Signals the whole process group (npm does not forward signals to the script it runs) and resolves
   * when every process in it has closed its output.
   */
  stop(signal?: NodeJS.Signals): Promise<string>;
}

/** Each bot its own local-mode file, so tests never write ./data/local-mode.json in the checkout. */
function baseEnv(): NodeJS.ProcessEnv {
  return childEnv({ CI: 'true', LOCAL_MODE_FILE: path.join(tmpdir(), `bot-e2e-${process.pid}-${randomUUID()}.json`) });
}

/** Runs `npm start` in the project folder, as a person would, and waits for the banner. */
export function startNpm(env: NodeJS.ProcessEnv, timeoutMs = 20_000): Promise<BotProcess> {
  const child = spawn('npm', ['start', '--silent'], { cwd: ROOT, env: { ...baseEnv(), ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const closed = new Promise<void>((resolve) => child.stdout?.once('close', () => resolve()));
  const collect = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<string> => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // the group is already gone
    }
    await closed;
    return output;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop('SIGKILL');
      reject(new Error(`no banner within ${timeoutMs} ms; output:\n${output}`));
    }, timeoutMs);
    const onData = (): void => {
      const match = BANNER.exec(output);
      if (!match?.[1]) return;
      clearTimeout(timer);
      resolve({ child, url: match[1], output: () => output, stop });
    };
    child.stdout?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code} before the banner; output:\n${output}`));
    });
  });
}

/** Runs `npm start` expecting it to refuse: resolves with its exit code and output. */
export function runNpmStartToExit(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return runToExit('npm', ['start', '--silent'], env);
}

/** Runs the entry point itself (`node --import tsx src/main.ts`, what `npm start` runs) expecting it to refuse. */
export function runMainToExit(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return runToExit(process.execPath, ['--import', 'tsx', 'src/main.ts'], env);
}

function runToExit(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const child = spawn(command, args, { cwd: ROOT, env: { ...baseEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}
