import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { encodePng } from '../../../scripts/png.ts';
import { drawColorIcon, drawOutlineIcon } from '../../../scripts/teams-icons.ts';
import { readPng } from './read-png.ts';

const icon = (name: string) => readFileSync(new URL(`../../../manifests/teams/${name}`, import.meta.url));

function alphaAt(image: { width: number; pixels: Uint8Array }, x: number, y: number): number {
  return image.pixels[(y * image.width + x) * 4 + 3] ?? -1;
}

describe('Teams app icons', () => {
  it('when the colour icon is decoded, then it is a 192×192 RGBA PNG with no transparent pixel', () => {
    const png = readPng(icon('color.png'));
    assert.deepEqual([png.width, png.height, png.bitDepth, png.colorType], [192, 192, 8, 6]);
    const alphas = new Set(Array.from({ length: 192 * 192 }, (_, index) => png.pixels[index * 4 + 3]));
    assert.deepEqual([...alphas], [255]);
  });

  it('when the outline icon is decoded, then it is 32×32, white wherever it is drawn and transparent around the glyph', () => {
    const png = readPng(icon('outline.png'));
    assert.deepEqual([png.width, png.height, png.bitDepth, png.colorType], [32, 32, 8, 6]);
    for (let index = 0; index < 32 * 32; index++) {
      const [r, g, b, a] = png.pixels.subarray(index * 4, index * 4 + 4);
      if (a !== 0) assert.deepEqual([r, g, b], [255, 255, 255], `pixel ${index} is drawn but not white`);
    }
    for (const [x, y] of [[0, 0], [31, 0], [0, 31], [31, 31], [10, 16], [21, 16]]) assert.equal(alphaAt(png, x ?? 0, y ?? 0), 0, `(${x}, ${y}) should be transparent (corners and the rings' holes)`);
    const drawn = Array.from({ length: 32 * 32 }, (_, index) => png.pixels[index * 4 + 3] ?? 0).filter((alpha) => alpha === 255).length;
    assert.ok(drawn > 100 && drawn < 600, `a visible glyph, not a blob: ${drawn} opaque pixels`);
  });

  it('when the icons are drawn again by scripts/make-teams-icons.ts, then the committed files are byte for byte what it writes', () => {
    assert.ok(encodePng(drawColorIcon()).equals(icon('color.png')), 'color.png is stale: run node --import tsx scripts/make-teams-icons.ts');
    assert.ok(encodePng(drawOutlineIcon()).equals(icon('outline.png')), 'outline.png is stale: run node --import tsx scripts/make-teams-icons.ts');
  });
});
