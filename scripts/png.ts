/**
 * A minimal PNG encoder on Node built-ins (zlib for deflate and CRC-32): 8-bit RGBA, no filtering.
 * Enough for the Teams app icons, which are generated from code so they can be rebuilt and reviewed.
 */
import { crc32, deflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const COLOR_TYPE_RGBA = 6;
const FILTER_NONE = 0;

export interface RgbaImage {
  width: number;
  height: number;
  /** width × height × 4 bytes, row by row, straight (not premultiplied) alpha. */
  pixels: Uint8Array;
}

export function encodePng(image: RgbaImage): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(image.width, 0);
  header.writeUInt32BE(image.height, 4);
  header.set([8, COLOR_TYPE_RGBA, 0, 0, 0], 8); // bit depth, colour type, compression, filter, interlace
  return Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(scanlines(image), { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

/** Each row is prefixed with its filter byte (always "none": the icons are tiny). */
function scanlines(image: RgbaImage): Buffer {
  const rowBytes = image.width * 4;
  const out = Buffer.alloc((rowBytes + 1) * image.height);
  for (let y = 0; y < image.height; y++) {
    out[y * (rowBytes + 1)] = FILTER_NONE;
    out.set(image.pixels.subarray(y * rowBytes, (y + 1) * rowBytes), y * (rowBytes + 1) + 1);
  }
  return out;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}
