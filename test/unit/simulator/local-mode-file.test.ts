import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readLocalModeFile, removeLocalModeFile, writeLocalModeFile } from '../../../src/simulator/local-mode-file.ts';

describe('local mode file', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'local-mode-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  const info = (controlToken: string) => ({ simulatorUrl: 'http://127.0.0.1:4000', controlToken, botUrl: 'http://localhost:3978', pid: 42 });

  it('when written, then it is created with its folder, owner-only, and reads back', () => {
    const file = path.join(folder, 'nested', 'local-mode.json');
    writeLocalModeFile(file, info('token-1'));
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(readLocalModeFile(file), info('token-1'));
  });

  it('when an existing file was readable by others, then rewriting it leaves it owner-only', () => {
    const file = path.join(folder, 'local-mode.json');
    writeFileSync(file, '{}', { mode: 0o644 });
    writeLocalModeFile(file, info('token-1'));
    assert.equal(statSync(file).mode & 0o777, 0o600);
  });

  it('when another bot has rewritten the file, then removing with the old token leaves it alone', () => {
    const file = path.join(folder, 'local-mode.json');
    writeLocalModeFile(file, info('newer'));
    removeLocalModeFile(file, 'older');
    assert.equal(readLocalModeFile(file)?.controlToken, 'newer');
    removeLocalModeFile(file, 'newer');
    assert.equal(existsSync(file), false);
  });

  it('when the file is missing, not JSON or the wrong shape, then reading gives undefined', () => {
    const file = path.join(folder, 'local-mode.json');
    assert.equal(readLocalModeFile(file), undefined);
    writeFileSync(file, 'not json');
    assert.equal(readLocalModeFile(file), undefined);
    writeFileSync(file, JSON.stringify({ simulatorUrl: 1 }));
    assert.equal(readLocalModeFile(file), undefined);
  });
});
