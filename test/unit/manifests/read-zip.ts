/**
 * Reads a zip archive the way an unzip tool does — from the end-of-central-directory record through the
 * central directory to each local header — and checks every entry's CRC-32 and size, so a broken
 * archive fails the test instead of passing through a reader as forgiving as the writer.
 */
import { crc32, inflateRawSync } from 'node:zlib';

export interface ZipFile {
  name: string;
  data: Buffer;
}

const END_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;

export function readZip(zip: Buffer): ZipFile[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0 || zip.readUInt32LE(end) !== END_SIGNATURE) throw new Error('no end of central directory record');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const files: ZipFile[] = [];
  for (let index = 0; index < count; index++) {
    if (zip.readUInt32LE(at) !== CENTRAL_SIGNATURE) throw new Error(`central directory entry ${index} is damaged`);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const compressedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localOffset = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    files.push({ name, data: readEntry(zip, localOffset, { name, method, crc, compressedSize, size }) });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}

function readEntry(zip: Buffer, offset: number, entry: { name: string; method: number; crc: number; compressedSize: number; size: number }): Buffer {
  if (zip.readUInt32LE(offset) !== LOCAL_SIGNATURE) throw new Error(`${entry.name}: local header missing`);
  const localName = zip.toString('utf8', offset + 30, offset + 30 + zip.readUInt16LE(offset + 26));
  if (localName !== entry.name) throw new Error(`${entry.name}: local header names ${localName}`);
  const start = offset + 30 + zip.readUInt16LE(offset + 26) + zip.readUInt16LE(offset + 28);
  const stored = zip.subarray(start, start + entry.compressedSize);
  const data = entry.method === 8 ? inflateRawSync(stored) : entry.method === 0 ? Buffer.from(stored) : undefined;
  if (!data) throw new Error(`${entry.name}: compression method ${entry.method} not supported`);
  if (data.length !== entry.size) throw new Error(`${entry.name}: ${data.length} bytes, directory says ${entry.size}`);
  if (crc32(data) >>> 0 !== entry.crc) throw new Error(`${entry.name}: CRC-32 mismatch`);
  return data;
}
