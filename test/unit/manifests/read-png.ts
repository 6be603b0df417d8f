/**
 * Decodes an 8-bit RGBA PNG (any of the five row filters) with zlib, to check icons pixel by pixel.
 * Independent of scripts/png.ts on purpose: it verifies chunk CRCs and undoes filters the encoder never writes.
 */
import { crc32, inflateSync } from 'node:zlib';
import type { RgbaImage } from '../../../scripts/png.ts';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function readPng(png: Buffer): RgbaImage & { colorType: number; bitDepth: number } {
  if (!png.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG');
  const chunks = readChunks(png);
  const header = chunks.find((chunk) => chunk.type === 'IHDR')?.data;
  if (!header) throw new Error('no IHDR');
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  const bitDepth = header[8] ?? 0;
  const colorType = header[9] ?? 0;
  if (bitDepth !== 8 || colorType !== 6) return { width, height, bitDepth, colorType, pixels: new Uint8Array() };
  const raw = inflateSync(Buffer.concat(chunks.filter((chunk) => chunk.type === 'IDAT').map((chunk) => chunk.data)));
  return { width, height, bitDepth, colorType, pixels: unfilter(raw, width, height) };
}

function readChunks(png: Buffer): { type: string; data: Buffer }[] {
  const chunks: { type: string; data: Buffer }[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const typeAndData = png.subarray(at + 4, at + 8 + length);
    if (png.readUInt32BE(at + 8 + length) !== crc32(typeAndData) >>> 0) throw new Error('chunk CRC mismatch');
    chunks.push({ type: typeAndData.toString('latin1', 0, 4), data: typeAndData.subarray(4) });
    at += 12 + length;
  }
  return chunks;
}

function unfilter(raw: Buffer, width: number, height: number): Uint8Array {
  const stride = width * 4;
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x] ?? 0;
      const left = x >= 4 ? (out[y * stride + x - 4] ?? 0) : 0;
      const up = y > 0 ? (out[(y - 1) * stride + x] ?? 0) : 0;
      const upLeft = x >= 4 && y > 0 ? (out[(y - 1) * stride + x - 4] ?? 0) : 0;
      out[y * stride + x] = (value + predictor(filter, left, up, upLeft)) & 0xff;
    }
  }
  return out;
}

function predictor(filter: number | undefined, left: number, up: number, upLeft: number): number {
  switch (filter) {
    case 0: return 0;
    case 1: return left;
    case 2: return up;
    case 3: return Math.floor((left + up) / 2);
    case 4: {
      const p = left + up - upLeft;
      const [a, b, c] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
      return a <= b && a <= c ? left : b <= c ? up : upLeft;
    }
    default: throw new Error(`unknown PNG filter ${filter}`);
  }
}
