/**
 * `data/local-mode.json`: how `npm run simulate` finds the simulator inside a running local-mode bot. It
 * holds the control token, so it is written owner-only (0600) in one atomic step, and removed on a clean
 * stop — but only while it is still ours (a second bot may have started since and written its own).
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface LocalModeInfo {
  simulatorUrl: string;
  /** Bearer token for the simulator's control endpoint: a secret. */
  controlToken: string;
  botUrl: string;
  pid: number;
}

export function writeLocalModeFile(file: string, info: LocalModeInfo): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
}

/** The file's content, or undefined when it is missing or not ours to understand. */
export function readLocalModeFile(file: string): LocalModeInfo | undefined {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { simulatorUrl, controlToken, botUrl, pid } = value as Record<string, unknown>;
  if (typeof simulatorUrl !== 'string' || typeof controlToken !== 'string' || typeof botUrl !== 'string') return undefined;
  return { simulatorUrl, controlToken, botUrl, pid: typeof pid === 'number' ? pid : 0 };
}

/** Removes the file if it still names `controlToken`; a newer bot's file is left alone. */
export function removeLocalModeFile(file: string, controlToken: string): void {
  if (readLocalModeFile(file)?.controlToken !== controlToken) return;
  rmSync(file, { force: true });
}
