// decodePng reads the image size from the PNG header and refuses more than MAX_IMAGE_PIXELS before
// decoding: a few bytes claiming 100000 x 100000 pixels used to become a multi-gigabyte allocation.
import { encode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { MAX_IMAGE_PIXELS, decodePng, readPngHeader } from '../../../src/model/image-input.ts';

/** A real PNG whose IHDR is then rewritten to claim `width` x `height`. */
function claiming(width: number, height: number): Uint8Array {
  const bytes = encode({ width: 2, height: 2, channels: 3, depth: 8, data: new Uint8Array(12) });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  view.setUint32(16, width);
  view.setUint32(20, height);
  return bytes;
}

describe('PNG header limits', () => {
  it('reads width, height, depth and colour type without decoding', () => {
    expect(readPngHeader(encode({ width: 5, height: 3, channels: 4, depth: 16, data: new Uint16Array(60) }))).toMatchObject({
      width: 5, height: 3, depth: 16, colourType: 6, interlaced: false, rawBytes: 3 * (1 + 5 * 8),
    });
    expect(readPngHeader(new TextEncoder().encode('GIF89a and more bytes than a header needs'))).toBeNull();
  });

  it('refuses an image over the pixel limit before decoding it, naming the file and the limit', () => {
    expect(() => decodePng(claiming(100_000, 100_000), 'huge.png')).toThrow(
      `huge.png is 100000x100000 pixels (10000.0 million); at most ${MAX_IMAGE_PIXELS.toLocaleString('en')} pixels (4096 x 4096) are read`,
    );
    expect(() => decodePng(claiming(4097, 4096), 'wide.png')).toThrow(/at most 16,777,216 pixels/);
    expect(() => decodePng(claiming(0, 10), 'empty.png')).toThrow(/is 0x10 pixels: it must be at least 1x1/);
  });
});
