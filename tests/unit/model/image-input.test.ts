// imageToModelRgba: channel and depth conversions, compositing on white and both resampling modes
// against values worked out by hand on tiny images; decodePng on real PNG bytes and on junk.
import { encode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { decodePng, imageToModelRgba, type DecodedImage } from '../../../src/model/image-input.ts';

const img = (width: number, height: number, channels: number, data: number[], depth = 8): DecodedImage => ({
  width, height, channels, depth, data: depth === 16 ? Uint16Array.from(data) : Uint8Array.from(data),
});

/** The RGB triple of every pixel (alpha checked separately). */
function rgbOf(rgba: Uint8ClampedArray): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < rgba.length; i += 4) out.push([rgba[i], rgba[i + 1], rgba[i + 2]]);
  return out;
}

const alphas = (rgba: Uint8ClampedArray) => [...rgba].filter((_, i) => i % 4 === 3);

describe('imageToModelRgba: channels and depth', () => {
  it('copies an 8-bit RGBA image of the right size unchanged when it is opaque', () => {
    const data = [1, 2, 3, 255, 40, 50, 60, 255, 70, 80, 90, 255, 200, 210, 220, 255];
    const { rgba, resized } = imageToModelRgba(img(2, 2, 4, data), 2);
    expect(resized).toBe(false);
    expect([...rgba]).toEqual(data);
  });

  it('spreads grey over R, G and B and adds opaque alpha', () => {
    const { rgba, resized } = imageToModelRgba(img(2, 1, 1, [7, 250]), 2);
    expect(resized).toBe(true); // 2x1 -> 2x2: the one row repeats
    expect(rgbOf(rgba)).toEqual([[7, 7, 7], [250, 250, 250], [7, 7, 7], [250, 250, 250]]);
    const square = imageToModelRgba(img(1, 1, 1, [99]), 1);
    expect(square.resized).toBe(false);
    expect([...square.rgba]).toEqual([99, 99, 99, 255]);
  });

  it('takes RGB as it is', () => {
    expect([...imageToModelRgba(img(1, 1, 3, [10, 20, 30]), 1).rgba]).toEqual([10, 20, 30, 255]);
  });

  it('scales 16-bit samples to 8 bits (65535 -> 255, 257 k -> k)', () => {
    const { rgba } = imageToModelRgba(img(2, 1, 3, [65535, 0, 257 * 128, 257, 257 * 200, 257 * 254], 16), 2);
    expect(rgbOf(rgba).slice(0, 2)).toEqual([[255, 0, 128], [1, 200, 254]]);
    // 1000 / 65535 * 255 = 3.89 -> 4
    expect([...imageToModelRgba(img(1, 1, 1, [1000], 16), 1).rgba]).toEqual([4, 4, 4, 255]);
  });

  it('composites alpha on white: c * a + 255 * (1 - a)', () => {
    // a = 51/255 = 0.2: 200 -> 40 + 204 = 244, 100 -> 224, 0 -> 204; a = 0: white; a = 255: unchanged.
    const { rgba } = imageToModelRgba(img(3, 1, 4, [200, 100, 0, 51, 9, 9, 9, 0, 12, 34, 56, 255]), 3);
    expect(rgbOf(rgba).slice(0, 3)).toEqual([[244, 224, 204], [255, 255, 255], [12, 34, 56]]);
    expect(alphas(rgba).every((a) => a === 255)).toBe(true);
    // grey+alpha: black at a = 128/255 -> 255 * 127/255 = 127.
    expect([...imageToModelRgba(img(1, 1, 2, [0, 128]), 1).rgba]).toEqual([127, 127, 127, 255]);
    // 16-bit grey+alpha: black at a = 257 * 51 / 65535 = 0.2 -> 255 * 0.8 = 204.
    expect([...imageToModelRgba(img(1, 1, 2, [0, 257 * 51], 16), 1).rgba]).toEqual([204, 204, 204, 255]);
  });
});

describe('imageToModelRgba: resizing', () => {
  it('area-averages each 2x2 block when halving', () => {
    // 4x4 grey, blocks: top-left {10,20,30,40} -> 25, top-right {0,0,0,100} -> 25,
    // bottom-left {1,2,3,6} -> 3, bottom-right {255,255,255,255} -> 255.
    const grey = [
      10, 20, 0, 0,
      30, 40, 0, 100,
      1, 2, 255, 255,
      3, 6, 255, 255,
    ];
    const { rgba, resized } = imageToModelRgba(img(4, 4, 1, grey), 2);
    expect(resized).toBe(true);
    expect(rgbOf(rgba).map((p) => p[0])).toEqual([25, 25, 3, 255]);
  });

  it('weights partly covered pixels by their coverage (3 -> 2 columns)', () => {
    // Row [0, 90, 180] to 2 columns: each output covers 1.5 source pixels.
    // out0 = (0 * 1 + 90 * 0.5) / 1.5 = 30; out1 = (90 * 0.5 + 180 * 1) / 1.5 = 150. The single row repeats.
    const { rgba } = imageToModelRgba(img(3, 1, 1, [0, 90, 180]), 2);
    expect(rgbOf(rgba).map((p) => p[0])).toEqual([30, 150, 30, 150]);
  });

  it('shrinks 4 -> 1 over the whole area, not just the pixels nearest the centre', () => {
    // Interpolating at the centre would see only the middle pixels (0, 0) and give 0.
    expect([...imageToModelRgba(img(4, 4, 1, [100, 0, 0, 100, 0, 0, 0, 0, 0, 0, 0, 0, 100, 0, 0, 100]), 1).rgba]).toEqual([25, 25, 25, 255]);
  });

  it('grows with bilinear interpolation between pixel centres, clamped at the edges', () => {
    // 2 -> 4: source coordinates (o + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25 -> clamp, 1/4, 3/4, clamp.
    // Row [0, 200] -> [0, 50, 150, 200]; the column [0; 200] does the same vertically.
    const { rgba } = imageToModelRgba(img(2, 2, 1, [0, 200, 0, 200]), 4);
    const firstRow = rgbOf(rgba).slice(0, 4).map((p) => p[0]);
    expect(firstRow).toEqual([0, 50, 150, 200]);
    const column = imageToModelRgba(img(2, 2, 1, [0, 0, 200, 200]), 4);
    expect(rgbOf(column.rgba).filter((_, i) => i % 4 === 0).map((p) => p[0])).toEqual([0, 50, 150, 200]);
  });

  it('keeps a uniform image uniform whether it shrinks, grows or changes aspect', () => {
    for (const [w, h, size] of [[7, 5, 4], [3, 3, 8], [10, 2, 6], [64, 64, 17]]) {
      const data = Array.from({ length: w * h }, () => [37, 142, 201]).flat();
      const { rgba, resized } = imageToModelRgba(img(w, h, 3, data), size);
      expect(resized).toBe(true);
      expect(rgba.length).toBe(size * size * 4);
      expect(new Set(rgbOf(rgba).map((p) => p.join(','))), `${w}x${h} -> ${size}`).toEqual(new Set(['37,142,201']));
    }
  });
});

describe('imageToModelRgba: refuses what it cannot convert', () => {
  it('explains zero sizes, channel counts, depths and data lengths', () => {
    expect(() => imageToModelRgba(img(0, 3, 1, []), 4)).toThrow(/0x3 pixels: it must be at least 1x1/);
    expect(() => imageToModelRgba(img(1, 1, 5, [1, 2, 3, 4, 5]), 4)).toThrow(/5 channels: use grey \(1\)/);
    expect(() => imageToModelRgba({ ...img(1, 1, 1, [1]), depth: 4 }, 4)).toThrow(/4-bit samples: use 8 or 16/);
    expect(() => imageToModelRgba(img(2, 2, 3, [1, 2, 3]), 4)).toThrow(/holds 3 samples but a 2x2 RGB image needs 12/);
    expect(() => imageToModelRgba(img(1, 1, 1, [1]), 0)).toThrow(RangeError);
  });
});

describe('decodePng', () => {
  it('decodes RGBA, 16-bit grey and palette PNGs into images imageToModelRgba takes', () => {
    const rgbaPng = encode({ width: 2, height: 1, channels: 4, depth: 8, data: Uint8Array.from([255, 0, 0, 255, 0, 0, 255, 0]) });
    const decoded = decodePng(rgbaPng);
    expect({ w: decoded.width, h: decoded.height, c: decoded.channels, d: decoded.depth }).toEqual({ w: 2, h: 1, c: 4, d: 8 });
    expect(rgbOf(imageToModelRgba(decoded, 2).rgba).slice(0, 2)).toEqual([[255, 0, 0], [255, 255, 255]]);

    const grey16 = decodePng(encode({ width: 1, height: 1, channels: 1, depth: 16, data: Uint16Array.from([257 * 77]) }));
    expect([...imageToModelRgba(grey16, 1).rgba]).toEqual([77, 77, 77, 255]);

    const palettePng = encode({ width: 2, height: 1, channels: 1, depth: 8, data: Uint8Array.from([1, 0]), palette: [[5, 6, 7], [200, 100, 50]] });
    const palette = decodePng(palettePng);
    expect(palette.channels).toBe(3);
    expect(rgbOf(imageToModelRgba(palette, 2).rgba).slice(0, 2)).toEqual([[200, 100, 50], [5, 6, 7]]);
  });

  it('unpacks 1-bit grey to 0 and 255', () => {
    // Row of 3 pixels 1,0,1 packed MSB-first: 0b1010_0000.
    const png = encode({ width: 3, height: 1, channels: 1, depth: 1, data: Uint8Array.from([0b1010_0000]) });
    const decoded = decodePng(png);
    expect({ c: decoded.channels, d: decoded.depth, data: [...(decoded.data as Uint8Array)] }).toEqual({ c: 1, d: 8, data: [255, 0, 255] });
  });

  it('says the file is not a readable PNG and what to do', () => {
    expect(() => decodePng(new TextEncoder().encode('GIF89a not a png'), 'cat.gif')).toThrow(/cat.gif is not a readable PNG .*save it as a PNG/);
    const truncated = encode({ width: 8, height: 8, channels: 3, depth: 8, data: new Uint8Array(192) }).subarray(0, 40);
    expect(() => decodePng(truncated)).toThrow(/the image is not a readable PNG/);
  });
});
