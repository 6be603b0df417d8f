/**
 * `npm run bench`: runs every benchmark script in bench/ (one process each, so they do not disturb each
 * other's heap or event loop) and passes their `name: value unit` lines through.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const folder = fileURLToPath(new URL('./', import.meta.url));
const only = process.argv.slice(2);
const scripts = readdirSync(folder)
  .filter((name) => name.endsWith('.ts') && name !== 'run-all.ts')
  .filter((name) => only.length === 0 || only.some((wanted) => name.startsWith(wanted)))
  .sort();

if (scripts.length === 0) process.stdout.write('no benchmarks in bench/\n');
let failed = 0;
for (const script of scripts) {
  process.stdout.write(`# ${script}\n`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', fileURLToPath(new URL(script, import.meta.url))], { stdio: 'inherit' });
  if (result.status !== 0) failed += 1;
}
process.exit(failed ? 1 : 0);
