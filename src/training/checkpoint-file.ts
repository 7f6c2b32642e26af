// The training checkpoint file of `pebench train` (DIR/.checkpoint/state.bin), format 2: magic
// "PEBCKPT2", a little-endian u32 header length, the header's sha256, a JSON header (format version,
// payload size and sha256, each tensor's sha256), then the payload: the checkpoint in the layout of
// src/model/checkpoint.ts. Decoding verifies all of it, so a damaged or edited file never resumes.
// Not here: where it is written (src/cli/train-output.ts), what `run` must match (trainer.ts).
import { createHash } from 'node:crypto';
import { CheckpointError, decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '../model/checkpoint.ts';

export const CHECKPOINT_FORMAT_VERSION = 2;
const MAGIC = 'PEBCKPT2';
/** Format 1 (the bare payload layout) had no checksums: it is recognised and refused, never guessed at. */
const OLD_MAGIC = 'PEBCKPT1';
const HASH_BYTES = 32;
const PREFIX = MAGIC.length + 4 + HASH_BYTES;

interface Header {
  format: 'pebench-train-checkpoint';
  version: number;
  payloadBytes: number;
  payloadSha256: string;
  /** Per tensor, so a damaged file can say which tensor is wrong. */
  tensorSha256: Record<string, string>;
}

/** A checkpoint file that must not be resumed; the message names the file and what to do. */
export class CheckpointFileError extends Error {
  override name = 'CheckpointFileError';
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const tensorSha = (data: Float32Array) => sha256(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));

export function encodeCheckpointFile(checkpoint: Checkpoint): Uint8Array {
  const payload = encodeCheckpoint(checkpoint);
  const tensorSha256 = Object.fromEntries(Object.entries(checkpoint.tensors).map(([name, t]) => [name, tensorSha(t.data)]));
  const header: Header = {
    format: 'pebench-train-checkpoint', version: CHECKPOINT_FORMAT_VERSION, payloadBytes: payload.length, payloadSha256: sha256(payload), tensorSha256,
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const bytes = new Uint8Array(PREFIX + headerBytes.length + payload.length);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(bytes.buffer).setUint32(MAGIC.length, headerBytes.length, true);
  bytes.set(Buffer.from(sha256(headerBytes), 'hex'), MAGIC.length + 4);
  bytes.set(headerBytes, PREFIX);
  bytes.set(payload, PREFIX + headerBytes.length);
  return bytes;
}

/** What to do about an unusable checkpoint in the folder `dir`. */
export const checkpointAdvice = (dir: string): string =>
  `nothing was resumed. Delete the folder ${dir} (or pass --force) to start training over, or restore state.bin from a backup`;

/** Verifies and parses a checkpoint file; `path` and `dir` name it in errors. */
export function decodeCheckpointFile(bytes: Uint8Array, path: string, dir: string): Checkpoint {
  const refuse = (why: string) => new CheckpointFileError(`${path} is not a usable checkpoint (${why}): ${checkpointAdvice(dir)}.`);
  const magic = new TextDecoder().decode(bytes.subarray(0, MAGIC.length));
  if (magic === OLD_MAGIC) throw refuse('it was written by an older pebench in format 1, without checksums, so it cannot be verified');
  if (bytes.length < PREFIX || magic !== MAGIC) throw refuse('it does not start with the checkpoint magic bytes');
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(MAGIC.length, true);
  if (PREFIX + headerLength > bytes.length) throw refuse('its header runs past the end of the file: it is truncated');
  const headerBytes = bytes.subarray(PREFIX, PREFIX + headerLength);
  if (sha256(headerBytes) !== Buffer.from(bytes.subarray(MAGIC.length + 4, PREFIX)).toString('hex')) throw refuse('its header fails its sha256 check: it was edited or damaged');
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(headerBytes));
  } catch {
    throw refuse('its header is not JSON');
  }
  if (header.version !== CHECKPOINT_FORMAT_VERSION) throw refuse(`it has format version ${String(header.version)}; this pebench reads version ${CHECKPOINT_FORMAT_VERSION}`);
  const payload = bytes.subarray(PREFIX + headerLength);
  if (payload.length !== header.payloadBytes) {
    throw refuse(`it holds ${bytes.length} bytes but its header says ${PREFIX + headerLength + header.payloadBytes}: it is ${payload.length < header.payloadBytes ? 'truncated' : 'too long'}`);
  }
  const intact = sha256(payload) === header.payloadSha256;
  let checkpoint: Checkpoint | null = null;
  try {
    checkpoint = decodeCheckpoint(payload, path);
  } catch (error) {
    if (!(error instanceof CheckpointError)) throw error;
  }
  // Name the damaged tensor where the payload still parses; otherwise the payload as a whole.
  const damaged = checkpoint && Object.entries(checkpoint.tensors).find(([name, t]) => header.tensorSha256?.[name] !== tensorSha(t.data));
  if (damaged) throw refuse(`its tensor ${damaged[0]} fails its sha256 check: the file was damaged or edited`);
  if (!intact || !checkpoint) throw refuse('its payload fails its sha256 check: the file was damaged or edited');
  return checkpoint;
}
