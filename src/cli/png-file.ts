// Reads a PNG file a user names on the command line, with bounds before any large allocation: a
// plain file (not a pipe or device, which could block forever) of at most MAX_PNG_FILE_BYTES, at
// most MAX_IMAGE_PIXELS by its header, and image data that inflates to no more than its header
// says (a small "zip bomb" file is refused instead of filling memory). Then fast-png decodes it.
// Not here: the conversion to the model's pixels (src/model/image-input.ts).
import { readFile, stat } from 'node:fs/promises';
import { inflateSync } from 'node:zlib';
import { checkPngSize, decodePng, readPngHeader, type DecodedImage, type PngHeader } from '../model/image-input.ts';
import { CliError } from './args.ts';

/** Larger files are refused unread (a 4096 x 4096 RGBA PNG at 16 bits is 128 MiB raw, far less compressed). */
export const MAX_PNG_FILE_BYTES = 64 * 1024 * 1024;

/** Reads and decodes the PNG at `path`; every refusal is a CliError naming `flag` and the file. */
export async function readPngFile(flag: string, path: string): Promise<DecodedImage> {
  const label = `${flag} ${path}`;
  let size: number;
  try {
    const stats = await stat(path);
    if (stats.isDirectory()) throw new CliError(`${label} is a folder: give a PNG file.`);
    if (!stats.isFile()) throw new CliError(`${label} is not a plain file (a pipe or a device): save the image as a PNG file and give its path.`);
    size = stats.size;
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(code === 'ENOENT' ? `${label} does not exist.` : `cannot read ${label} (${code ?? (error as Error).message}).`);
  }
  if (size > MAX_PNG_FILE_BYTES) {
    throw new CliError(`${label} is ${(size / 2 ** 20).toFixed(0)} MiB; at most ${MAX_PNG_FILE_BYTES / 2 ** 20} MiB are read: scale the image down (the model sees 64 x 64) and save it again.`);
  }
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (error) {
    throw new CliError(`cannot read ${label} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
  try {
    const header = readPngHeader(bytes);
    if (header) {
      checkPngSize(header, label);
      checkInflatedSize(bytes, header, label);
    }
    return decodePng(bytes, label);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError((error as Error).message);
  }
}

/** Inflates the IDAT data with a cap just above what the header allows; more is a refusal. */
function checkInflatedSize(bytes: Uint8Array, header: PngHeader, label: string): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: Uint8Array[] = [];
  for (let at = 8; at + 8 <= bytes.length;) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (type === 'IDAT') parts.push(bytes.subarray(at + 8, Math.min(bytes.length, at + 8 + length)));
    if (type === 'IEND') break;
    at += 12 + length;
  }
  if (parts.length === 0) return; // decodePng reports the missing data
  try {
    inflateSync(Buffer.concat(parts), { maxOutputLength: header.rawBytes + 1024 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
      throw new CliError(`${label}: its image data inflates to more than its ${header.width}x${header.height} header allows (a damaged or malicious PNG): save the image again as a plain PNG.`);
    }
    // Other inflate errors (truncated data): decodePng names them.
  }
}
