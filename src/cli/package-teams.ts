/**
 * `npm run package:teams [-- --out FILE]`: builds the Teams app package from manifests/teams — the manifest
 * template with its `{{…}}` placeholders filled from the configuration (MicrosoftAppId, PUBLIC_URL,
 * PARTNER_DISPLAY_NAME, the package version) and the two icons, zipped with Node's own zlib. Upload the zip
 * in the Teams admin center (or Developer Portal) to install the bot.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { crc32, deflateRawSync } from 'node:zlib';
import { loadDotEnv, readConfig, type Config } from '../config.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const TEAMS_MANIFEST_DIR = path.join(ROOT, 'manifests', 'teams');
export const TEAMS_PACKAGE_FILES = ['manifest.json', 'color.png', 'outline.png'] as const;
const DEFAULT_OUT = path.join('dist', 'teams-app.zip');
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PLACEHOLDER = /\{\{(\w+)\}\}/g;
const DEVELOPER_NAME_MAX = 32;

export class PackageError extends Error {}

export type ManifestValues = Record<string, string>;

/** What the placeholders stand for, from the configuration; every problem is reported at once. */
export function manifestValues(config: Pick<Config, 'MicrosoftAppId' | 'PUBLIC_URL' | 'PARTNER_DISPLAY_NAME'>, version: string): ManifestValues {
  const problems: string[] = [];
  if (!config.MicrosoftAppId || !GUID.test(config.MicrosoftAppId)) problems.push('MicrosoftAppId: set it to the Azure Bot registration\'s app id (a GUID); the manifest names the bot by it');
  const publicUrl = config.PUBLIC_URL ? new URL(config.PUBLIC_URL) : undefined;
  if (publicUrl?.protocol !== 'https:') problems.push('PUBLIC_URL: set it to the bot\'s public https URL; Teams requires https links and the valid domain comes from it');
  const developer = config.PARTNER_DISPLAY_NAME ?? '';
  if (!developer || developer.length > DEVELOPER_NAME_MAX) problems.push(`PARTNER_DISPLAY_NAME: set it to your name, at most ${DEVELOPER_NAME_MAX} characters (the manifest's developer name)`);
  if (problems.length || !publicUrl) throw new PackageError(problems.join('\n'));
  return {
    MicrosoftAppId: config.MicrosoftAppId ?? '',
    PUBLIC_URL: publicUrl.href.replace(/\/+$/, ''),
    PUBLIC_HOST: publicUrl.host,
    PARTNER_DISPLAY_NAME: developer,
    VERSION: version,
  };
}

/** Fills every `{{NAME}}` inside the template's strings; an unknown name is an error, never left in. */
export function renderTeamsManifest(template: string, values: ManifestValues): unknown {
  const fill = (text: string): string =>
    text.replace(PLACEHOLDER, (_match, name: string) => {
      const value = values[name];
      if (value === undefined) throw new PackageError(`manifests/teams/manifest.json: unknown placeholder {{${name}}}`);
      return value;
    });
  // Filling parsed strings (not the raw text) keeps values JSON-escaped whatever they contain.
  return JSON.parse(template, (_key, value: unknown) => (typeof value === 'string' ? fill(value) : value));
}

export interface ZipEntry {
  name: string;
  data: Buffer;
}

/**
 * A plain zip archive (deflate, no directories, fixed 1980-01-01 timestamps so the same input gives the
 * same bytes). Teams expects the three files at the root of the archive.
 */
export function createZip(entries: readonly ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const compressed = deflateRawSync(entry.data, { level: 9 });
    const fields = { crc: crc32(entry.data), compressed: compressed.length, size: entry.data.length, nameLength: name.length };
    const local = Buffer.concat([zipHeader(0x04034b50, fields), name, compressed]);
    centrals.push(Buffer.concat([zipHeader(0x02014b50, fields, offset), name]));
    locals.push(local);
    offset += local.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

interface EntryFields {
  crc: number;
  compressed: number;
  size: number;
  nameLength: number;
}

/** A local file header (`offset` undefined) or a central directory header, up to the file name. */
function zipHeader(signature: number, fields: EntryFields, offset?: number): Buffer {
  const central = offset !== undefined;
  const header = Buffer.alloc(central ? 46 : 30);
  let at = header.writeUInt32LE(signature, 0);
  if (central) at = header.writeUInt16LE(20, at); // made by: version 2.0
  at = header.writeUInt16LE(20, at); // needed to extract: 2.0 (deflate)
  at = header.writeUInt16LE(0x0800, at); // flags: names are UTF-8
  at = header.writeUInt16LE(8, at); // method: deflate
  at = header.writeUInt16LE(0, at); // time 00:00
  at = header.writeUInt16LE((0 << 9) | (1 << 5) | 1, at); // date 1980-01-01
  at = header.writeUInt32LE(fields.crc, at);
  at = header.writeUInt32LE(fields.compressed, at);
  at = header.writeUInt32LE(fields.size, at);
  at = header.writeUInt16LE(fields.nameLength, at);
  header.writeUInt16LE(0, at); // extra field length
  if (central) header.writeUInt32LE(offset, 42); // comment, disk, attributes stay 0
  return header;
}

/** The package as bytes: the filled manifest and the icons, from `manifestDir`. */
export function buildTeamsPackage(values: ManifestValues, manifestDir = TEAMS_MANIFEST_DIR): Buffer {
  const manifest = renderTeamsManifest(readFileSync(path.join(manifestDir, 'manifest.json'), 'utf8'), values);
  return createZip([
    { name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8') },
    { name: 'color.png', data: readFileSync(path.join(manifestDir, 'color.png')) },
    { name: 'outline.png', data: readFileSync(path.join(manifestDir, 'outline.png')) },
  ]);
}

function outPathFrom(args: readonly string[]): string {
  const at = args.indexOf('--out');
  if (at === -1) return DEFAULT_OUT;
  const out = args[at + 1];
  if (!out) throw new PackageError('usage: npm run package:teams [-- --out FILE.zip]');
  return out;
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

function main(args: readonly string[]): void {
  const out = outPathFrom(args);
  loadDotEnv();
  const values = manifestValues(readConfig(), packageVersion());
  const zip = buildTeamsPackage(values);
  mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  writeFileSync(out, zip);
  process.stdout.write(`Teams app package written to ${out} (${TEAMS_PACKAGE_FILES.join(', ')}; bot ${values.MicrosoftAppId}, valid domain ${values.PUBLIC_HOST}, version ${values.VERSION}).\nUpload it in the Teams admin center (Manage apps → Upload new app) or in the Teams Developer Portal.\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`package:teams: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
