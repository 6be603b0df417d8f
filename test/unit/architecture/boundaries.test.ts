import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SRC = path.join(ROOT, 'src');

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** Every module specifier a file imports or re-exports, static or dynamic. */
export function importsOf(source: string): string[] {
  const pattern = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;
  return [...source.matchAll(pattern)].map((match) => match[1] ?? match[2] ?? match[3] ?? '');
}

function violations(folder: string, isAllowed: (specifier: string, file: string) => boolean): string[] {
  return sourceFiles(folder).flatMap((file) =>
    importsOf(readFileSync(file, 'utf8'))
      .filter((specifier) => !isAllowed(specifier, file))
      .map((specifier) => `${path.relative(ROOT, file)} imports ${specifier}`),
  );
}

describe('architecture boundaries', () => {
  it('src/core imports nothing but node builtins and other src/core modules', () => {
    const core = path.join(SRC, 'core');
    const found = violations(core, (specifier, file) => {
      if (specifier.startsWith('node:')) return true;
      if (!specifier.startsWith('.')) return false;
      return path.resolve(path.dirname(file), specifier).startsWith(core + path.sep);
    });
    assert.deepEqual(found, []);
  });

  it('only src/platforms/teams imports botbuilder, and only src/platforms/slack imports @slack/*', () => {
    const found = violations(SRC, (specifier, file) => {
      const relative = path.relative(SRC, file);
      if (/^botbuilder|^botframework/.test(specifier)) return relative.startsWith(path.join('platforms', 'teams'));
      if (specifier.startsWith('@slack/')) return relative.startsWith(path.join('platforms', 'slack'));
      return true;
    });
    assert.deepEqual(found, []);
  });

  it('only src/config.ts reads process.env', () => {
    const readers = sourceFiles(SRC).filter((file) => /process\.env/.test(readFileSync(file, 'utf8')));
    assert.deepEqual(readers.map((file) => path.relative(ROOT, file)), [path.join('src', 'config.ts')]);
  });

  it('the import scanner sees static, re-exported and dynamic imports (so the checks above can fail)', () => {
    const sample = "import x from 'botbuilder';\nexport { y } from '../http/server.ts';\nconst z = await import('keyv');\nimport './side-effect.ts';";
    assert.deepEqual(importsOf(sample), ['botbuilder', '../http/server.ts', 'keyv', './side-effect.ts']);
  });
});
