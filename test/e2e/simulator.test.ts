import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { childEnv } from './support/child-env.ts';
import { SIMULATOR_CLIENT_ID, SIMULATOR_CLIENT_SECRET, SIMULATOR_PARTNER_TENANT_ID } from '../../src/simulator/defaults.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('e2e: npm run simulator', function () {
  this.timeout(30_000);

  it('when started alone, then it prints its URL and issues tokens on the Entra route', async () => {
    const child = spawn('npm', ['run', 'simulator', '--silent', '--', '--port', '0'], { cwd: ROOT, env: childEnv(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL within 20 s:\n${output}`)), 20_000);
        child.stdout.on('data', () => {
          const match = /listening at (http:\/\/\S+)/.exec(output);
          if (match?.[1]) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
      });
      assert.match(output, /PARTNER_CENTER_API_URL=/);
      const token = await fetch(`${url}/${SIMULATOR_PARTNER_TENANT_ID}/oauth2/v2.0/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: SIMULATOR_CLIENT_ID, client_secret: SIMULATOR_CLIENT_SECRET, scope: 'https://api.partnercenter.microsoft.com/.default' }),
      });
      assert.equal(token.status, 200);
      assert.equal(typeof ((await token.json()) as { access_token?: unknown }).access_token, 'string');
    } finally {
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
    }
  });
});
