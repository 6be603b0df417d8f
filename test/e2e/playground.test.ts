import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { childEnv } from './support/child-env.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('e2e: npm run playground', function () {
  this.timeout(60_000);

  it('when started, then the Agents Playground serves its client and points at the bot port', async () => {
    const child = spawn('npm', ['run', 'playground', '--silent'], {
      cwd: ROOT,
      env: childEnv({ PORT: '3999', PLAYGROUND_PORT: '0' }),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    try {
      const port = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "Listening on" within 45 s:\n${output}`)), 45_000);
        child.stdout.on('data', () => {
          const match = /Listening on (\d+)/.exec(output);
          if (match?.[1]) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
        child.once('exit', (code) => reject(new Error(`playground exited with ${code}:\n${output}`)));
      });
      assert.match(output, /http:\/\/localhost:3999\/api\/messages/);
      const page = await fetch(`http://127.0.0.1:${port}/`);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<html/i);
    } finally {
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
    }
  });
});
