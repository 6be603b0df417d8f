/**
 * The Teams app icons, drawn from code: two linked rings (a partner–customer relationship).
 * Teams wants a full-colour 192×192 icon and a 32×32 outline icon that is white on a transparent
 * background. Edges are anti-aliased by 4×4 supersampling, so the output is deterministic.
 */
import type { RgbaImage } from './png.ts';

/** The colour behind the glyph in the colour icon; also the manifest's accentColor. */
export const ACCENT_COLOR = '#2F5597';

const SUBSAMPLES = 4;
const RING_CENTRES = [-0.36, 0.36];
const RING_OUTER = 0.62;
const RING_INNER = 0.42;

/** True when (u, v) in the glyph's box [-1, 1]² is on one of the rings. */
function isOnGlyph(u: number, v: number): boolean {
  return RING_CENTRES.some((cx) => {
    const distance = Math.hypot(u - cx, v);
    return distance <= RING_OUTER && distance >= RING_INNER;
  });
}

/** Share (0..1) of a pixel covered by the glyph, drawn in a square of `glyphSize` pixels centred on the image. */
function coverage(x: number, y: number, size: number, glyphSize: number): number {
  let inside = 0;
  for (let sy = 0; sy < SUBSAMPLES; sy++) {
    for (let sx = 0; sx < SUBSAMPLES; sx++) {
      const u = ((x + (sx + 0.5) / SUBSAMPLES - size / 2) / glyphSize) * 2;
      const v = ((y + (sy + 0.5) / SUBSAMPLES - size / 2) / glyphSize) * 2;
      if (isOnGlyph(u, v)) inside++;
    }
  }
  return inside / (SUBSAMPLES * SUBSAMPLES);
}

function draw(size: number, glyphSize: number, pixel: (cover: number) => [number, number, number, number]): RgbaImage {
  const pixels = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) pixels.set(pixel(coverage(x, y, size, glyphSize)), (y * size + x) * 4);
  }
  return { width: size, height: size, pixels };
}

function hexToRgb(hex: string): [number, number, number] {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff];
}

/** 192×192, opaque: white rings on the accent colour, the glyph inside Teams' central safe area. */
export function drawColorIcon(): RgbaImage {
  const [r, g, b] = hexToRgb(ACCENT_COLOR);
  const blend = (from: number, cover: number) => Math.round(from + (255 - from) * cover);
  return draw(192, 112, (cover) => [blend(r, cover), blend(g, cover), blend(b, cover), 255]);
}

/** 32×32: white rings, everything else fully transparent (Teams tints it). */
export function drawOutlineIcon(): RgbaImage {
  return draw(32, 30, (cover) => [255, 255, 255, Math.round(255 * cover)]);
}
