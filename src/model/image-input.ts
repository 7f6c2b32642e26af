// Turns any decoded image a user hands the model into the RGBA bytes the model sees (size x size):
// grey, grey+alpha, RGB or RGBA at 8 or 16 bits, 16-bit scaled to 8, alpha on white, other sizes
// stretched per axis (area average when shrinking, bilinear when growing). Plus decodePng, a fast-png
// wrapper that checks the header's size (at most MAX_IMAGE_PIXELS) before decoding. Pure: no Node,
// no DOM. Not here: pixel normalisation (pixels.ts) or reading files.
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

/** The most pixels a PNG handed to the model may have (4096 x 4096): the model sees 64 x 64. */
export const MAX_IMAGE_PIXELS = 4096 * 4096;

/** What a PNG's IHDR chunk says, read without decoding. */
export interface PngHeader {
  width: number;
  height: number;
  /** Bits per sample: 1, 2, 4, 8 or 16. */
  depth: number;
  /** PNG colour type: 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA. */
  colourType: number;
  interlaced: boolean;
  /** Bytes of the filtered image data once inflated (an upper bound when interlaced). */
  rawBytes: number;
}

const PNG_SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];
const SAMPLES_PER_PIXEL: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** The header of PNG `bytes`, or null when they do not start like a PNG (signature, then IHDR). */
export function readPngHeader(bytes: Uint8Array): PngHeader | null {
  if (bytes.length < 33 || PNG_SIGNATURE.some((b, i) => bytes[i] !== b)) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(8) !== 13 || String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') return null;
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  const depth = bytes[24];
  const colourType = bytes[25];
  const interlaced = bytes[28] === 1;
  const samples = SAMPLES_PER_PIXEL[colourType] ?? 4;
  const rowBytes = 1 + Math.ceil((width * samples * depth) / 8);
  // Adam7 adds at most a filter byte and a partial byte per row of each of its 7 passes.
  const rawBytes = rowBytes * height + (interlaced ? 7 * (2 * height + 8) : 0);
  return { width, height, depth, colourType, interlaced, rawBytes };
}

/** Refuses a PNG header whose image is empty or larger than MAX_IMAGE_PIXELS, naming `label`. */
export function checkPngSize(header: PngHeader, label = 'the image'): void {
  const { width, height } = header;
  if (width < 1 || height < 1) throw new Error(`${label} is ${width}x${height} pixels: it must be at least 1x1: ${PNG_HELP}`);
  if (width * height > MAX_IMAGE_PIXELS) {
    throw new Error(`${label} is ${width}x${height} pixels (${(width * height / 1e6).toFixed(1)} million); at most ${MAX_IMAGE_PIXELS.toLocaleString('en')} pixels (4096 x 4096) are read, and the model sees 64 x 64: scale it down first`);
  }
}

/**
 * Decodes PNG bytes into a DecodedImage imageToModelRgba accepts: palette images become RGB(A), grey
 * at 1, 2 or 4 bits becomes 8-bit grey. The size is checked from the header before decoding (at most
 * MAX_IMAGE_PIXELS). Any failure is an Error that names `label` and says what to do.
 */
export function decodePng(bytes: Uint8Array, label = 'the image'): DecodedImage {
  const header = readPngHeader(bytes);
  if (!header) throw new Error(`${label} is not a readable PNG (no PNG signature and header): ${PNG_HELP}`);
  checkPngSize(header, label);
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
