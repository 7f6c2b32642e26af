// Turns any decoded image a user hands the model into the RGBA bytes the model sees (size x size):
// grey, grey+alpha, RGB or RGBA at 8 or 16 bits; 16-bit scaled to 8; alpha composited on white;
// other sizes stretched to the square size (no crop), per axis with area averaging when shrinking
// and bilinear interpolation (pixel centres aligned, edges clamped) when growing. Plus decodePng, a
// fast-png wrapper with an error that says what to do. Pure: no Node, no DOM. Not here: pixel
// normalisation (pixels.ts) or reading files.
import { convertIndexedToRgb, decode } from 'fast-png';

/** A decoded image: `data` holds height x width x channels samples, row-major, interleaved. */
export interface DecodedImage {
  width: number;
  height: number;
  /** 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA. */
  channels: number;
  /** Bits per sample: 8 or 16. */
  depth: number;
  data: ArrayLike<number>;
}

export interface ModelRgba {
  /** size x size x 4 bytes, alpha always 255. */
  rgba: Uint8ClampedArray;
  /** True when the image was not already size x size and had to be resampled. */
  resized: boolean;
}

const CHANNEL_NAMES: Record<number, string> = { 1: 'grey', 2: 'grey+alpha', 3: 'RGB', 4: 'RGBA' };

/** The image as size x size opaque RGBA (see the header for the conversions). */
export function imageToModelRgba(image: DecodedImage, size: number): ModelRgba {
  const { width, height, channels, depth, data } = image;
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`target size must be a positive integer, got ${size}`);
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`the image is ${width}x${height} pixels: it must be at least 1x1`);
  }
  if (!(channels in CHANNEL_NAMES)) {
    throw new RangeError(`the image has ${channels} channels: use grey (1), grey+alpha (2), RGB (3) or RGBA (4)`);
  }
  if (depth !== 8 && depth !== 16) throw new RangeError(`the image has ${depth}-bit samples: use 8 or 16 bits per sample`);
  const expected = width * height * channels;
  if (data.length !== expected) {
    throw new RangeError(
      `image data holds ${data.length} samples but a ${width}x${height} ${CHANNEL_NAMES[channels]} image needs ${expected}`,
    );
  }
  const rgb = compositeOnWhite(image);
  const resized = width !== size || height !== size;
  const out = resized ? resample(rgb, width, height, size) : rgb;
  const rgba = new Uint8ClampedArray(size * size * 4);
  for (let i = 0; i < size * size; i++) {
    for (let c = 0; c < 3; c++) rgba[i * 4 + c] = Math.round(out[i * 3 + c]);
    rgba[i * 4 + 3] = 255;
  }
  return { rgba, resized };
}

/** (height, width, 3) float RGB on 0..255, alpha composited on a white background. */
function compositeOnWhite({ width, height, channels, depth, data }: DecodedImage): Float64Array {
  const scale = depth === 16 ? 255 / 65535 : 1;
  const hasAlpha = channels === 2 || channels === 4;
  const colour = hasAlpha ? channels - 1 : channels;
  const out = new Float64Array(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    const at = i * channels;
    const alpha = hasAlpha ? (data[at + colour] * scale) / 255 : 1;
    for (let c = 0; c < 3; c++) {
      const value = data[at + (colour === 1 ? 0 : c)] * scale;
      out[i * 3 + c] = value * alpha + 255 * (1 - alpha);
    }
  }
  return out;
}

/** For each output index along one axis, the source indices and weights (summing to 1). */
type AxisTaps = { index: number[]; weight: number[] }[];

function axisTaps(inSize: number, outSize: number): AxisTaps {
  const taps: AxisTaps = [];
  const ratio = inSize / outSize;
  for (let o = 0; o < outSize; o++) {
    if (inSize === outSize) {
      taps.push({ index: [o], weight: [1] });
    } else if (inSize > outSize) {
      // Area average: output pixel o covers source span [o * ratio, (o + 1) * ratio).
      const start = o * ratio;
      const end = start + ratio;
      const index: number[] = [];
      const weight: number[] = [];
      for (let s = Math.floor(start); s < Math.min(inSize, Math.ceil(end)); s++) {
        const cover = Math.min(end, s + 1) - Math.max(start, s);
        if (cover > 0) {
          index.push(s);
          weight.push(cover / ratio);
        }
      }
      taps.push({ index, weight });
    } else {
      // Bilinear: the output pixel centre mapped into source pixel-centre coordinates, clamped.
      const centre = Math.min(inSize - 1, Math.max(0, (o + 0.5) * ratio - 0.5));
      const left = Math.floor(centre);
      const right = Math.min(inSize - 1, left + 1);
      const frac = centre - left;
      taps.push(right === left ? { index: [left], weight: [1] } : { index: [left, right], weight: [1 - frac, frac] });
    }
  }
  return taps;
}

/** (height, width, 3) -> (size, size, 3): horizontal pass, then vertical pass. */
function resample(rgb: Float64Array, width: number, height: number, size: number): Float64Array {
  const xTaps = axisTaps(width, size);
  const yTaps = axisTaps(height, size);
  const rows = new Float64Array(height * size * 3); // (height, size, 3)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < size; x++) {
      const { index, weight } = xTaps[x];
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let k = 0; k < index.length; k++) sum += weight[k] * rgb[(y * width + index[k]) * 3 + c];
        rows[(y * size + x) * 3 + c] = sum;
      }
    }
  }
  const out = new Float64Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    const { index, weight } = yTaps[y];
    for (let x = 0; x < size; x++) {
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let k = 0; k < index.length; k++) sum += weight[k] * rows[(index[k] * size + x) * 3 + c];
        out[(y * size + x) * 3 + c] = sum;
      }
    }
  }
  return out;
}

const PNG_HELP = 'save it as a PNG (grey, grey+alpha, RGB or RGBA, 8 or 16 bits; palette images are fine) and try again';

/**
 * Decodes PNG bytes into a DecodedImage imageToModelRgba accepts: palette images become RGB(A), grey
 * at 1, 2 or 4 bits becomes 8-bit grey. Any failure is an Error that names `label` and says what to do.
 */
export function decodePng(bytes: Uint8Array, label = 'the image'): DecodedImage {
  let png: ReturnType<typeof decode>;
  try {
    png = decode(bytes);
  } catch (error) {
    throw new Error(`${label} is not a readable PNG (${(error as Error).message}): ${PNG_HELP}`);
  }
  try {
    if (png.channels === 1 && png.palette) {
      const data = convertIndexedToRgb(png);
      return { width: png.width, height: png.height, channels: png.palette[0].length, depth: 8, data };
    }
    if (png.depth < 8) return unpackLowBitGrey(png.width, png.height, png.depth, png.data);
  } catch (error) {
    throw new Error(`${label} is not a readable PNG (${(error as Error).message}): ${PNG_HELP}`);
  }
  return { width: png.width, height: png.height, channels: png.channels, depth: png.depth, data: png.data };
}

/** Grey at 1, 2 or 4 bits (rows padded to whole bytes) -> 8-bit grey, scaled so the maximum is 255. */
function unpackLowBitGrey(width: number, height: number, depth: number, packed: ArrayLike<number>): DecodedImage {
  const rowBytes = Math.ceil((width * depth) / 8);
  if (packed.length !== rowBytes * height) throw new Error(`grey data holds ${packed.length} bytes, expected ${rowBytes * height}`);
  const max = (1 << depth) - 1;
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bit = x * depth;
      const byte = packed[y * rowBytes + (bit >> 3)];
      const value = (byte >> (8 - depth - (bit & 7))) & max;
      data[y * width + x] = Math.round((value * 255) / max);
    }
  }
  return { width, height, channels: 1, depth: 8, data };
}
