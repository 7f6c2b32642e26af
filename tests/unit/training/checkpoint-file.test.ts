// Training checkpoints (format 2) never resume into a different model: one flipped byte in a tensor,
// a truncated or extended file, an edited step or header and a format-1 file without checksums
// are each refused with a message that names the file and says what to do; a checkpoint that does
// not fit the model (shapes, names, steps) is refused by the trainer's check. `pebench train` refuses
// them before any runtime opens. A valid file round-trips exactly.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mainInProcess } from '../cli/in-process.ts';
import { OUTPUT_MARKER } from '../../../src/cli/output-check.ts';
import { encodeCheckpoint, type Checkpoint } from '../../../src/model/checkpoint.ts';
import { CheckpointFileError, decodeCheckpointFile, encodeCheckpointFile } from '../../../src/training/checkpoint-file.ts';
import { stateProblems } from '../../../src/training/trainer.ts';

vi.mock('../../../src/runtime/index.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../src/runtime/index.ts')>()),
  openRuntime: () => {
    throw new Error('openRuntime was reached: a bad checkpoint should have been refused first');
  },
}));

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'pebench-checkpoint-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const checkpoint: Checkpoint = {
  step: 40,
  run: { format: 'pe-tiny-train/1', settings: { lr: 0.003 } },
  tensors: {
    'p:w': { dims: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) },
    'm:w': { dims: [2, 3], data: new Float32Array(6).fill(0.5) },
  },
};
const PATH = '/runs/m/.checkpoint/state.bin';
const DIR = '/runs/m/.checkpoint';
const refusal = (bytes: Uint8Array): string => {
  try {
    decodeCheckpointFile(bytes, PATH, DIR);
  } catch (error) {
    expect(error).toBeInstanceOf(CheckpointFileError);
    return (error as Error).message;
  }
  throw new Error('the damaged checkpoint was accepted');
};
const ADVICE = `: nothing was resumed. Delete the folder ${DIR} (or pass --force) to start training over, or restore state.bin from a backup.`;

describe('checkpoint file format 2', () => {
  it('round-trips step, run and tensors exactly', () => {
    const decoded = decodeCheckpointFile(encodeCheckpointFile(checkpoint), PATH, DIR);
    expect(decoded.step).toBe(40);
    expect(decoded.run).toEqual(checkpoint.run);
    expect(decoded.tensors['p:w']).toEqual(checkpoint.tensors['p:w']);
    expect(decoded.tensors['m:w']).toEqual(checkpoint.tensors['m:w']);
  });

  it('refuses a flipped byte in a tensor, naming the tensor, the file and what to do', () => {
    const bytes = encodeCheckpointFile(checkpoint);
    bytes[bytes.length - 3] ^= 0x01; // inside m:w, the last tensor
    expect(refusal(bytes)).toBe(`${PATH} is not a usable checkpoint (its tensor m:w fails its sha256 check: the file was damaged or edited)${ADVICE}`);
  });

  it('refuses a truncated or extended file', () => {
    const bytes = encodeCheckpointFile(checkpoint);
    expect(refusal(bytes.subarray(0, bytes.length - 4))).toMatch(/it is truncated\)/);
    expect(refusal(bytes.subarray(0, 30))).toMatch(/truncated|magic/);
    const longer = new Uint8Array(bytes.length + 4);
    longer.set(bytes);
    expect(refusal(longer)).toMatch(/it is too long\)/);
  });

  it('refuses an edited step and an edited header even though their JSON still parses', () => {
    const bytes = encodeCheckpointFile(checkpoint);
    const text = new TextDecoder().decode(bytes);
    const step = bytes.slice();
    step[text.indexOf('"step":40') + 7] = '9'.charCodeAt(0); // step 90: another point of the run
    expect(refusal(step)).toMatch(/its payload fails its sha256 check: the file was damaged or edited/);
    const version = bytes.slice();
    version[text.indexOf('"version":2') + 10] = '3'.charCodeAt(0);
    expect(refusal(version)).toMatch(/its header fails its sha256 check: it was edited or damaged/);
  });

  it('recognises a format-1 file (no checksums) and refuses it instead of guessing', () => {
    expect(refusal(encodeCheckpoint(checkpoint))).toBe(`${PATH} is not a usable checkpoint (it was written by an older pebench in format 1, without checksums, so it cannot be verified)${ADVICE}`);
    expect(refusal(new TextEncoder().encode('not a checkpoint at all, just text'))).toMatch(/does not start with the checkpoint magic bytes/);
  });
});

describe("the trainer's fit check", () => {
  const slots = [{ input: 'p:w', shape: [2, 3] }, { input: 'm:w', shape: [2, 3] }, { input: 'v:w', shape: [2, 3] }];

  it('names missing, foreign and misshapen tensors, non-finite values and a step past the plan', () => {
    const odd: Checkpoint = { ...checkpoint, step: 900, tensors: { ...checkpoint.tensors, 'p:w': { dims: [3, 2], data: new Float32Array(6) }, 'x:y': { dims: [1], data: Float32Array.from([NaN]) } } };
    expect(stateProblems(odd, slots, 100)).toEqual([
      "it is at step 900, past this plan's 100 steps",
      '1 state tensors are missing (e.g. v:w)',
      "tensor p:w is 3x2, this model's is 2x3",
      "tensor x:y is not part of this model's training state",
    ]);
    const nan: Checkpoint = { ...checkpoint, tensors: { ...checkpoint.tensors, 'v:w': { dims: [2, 3], data: new Float32Array(6).fill(Infinity) } } };
    expect(stateProblems(nan, slots, 100)).toEqual(['tensor v:w holds non-finite values']);
    expect(stateProblems({ ...checkpoint, tensors: { ...checkpoint.tensors, 'v:w': checkpoint.tensors['m:w'] } }, slots, 100)).toEqual([]);
  });
});

describe('pebench train with a damaged checkpoint', () => {
  it('refuses to resume, naming the file, before any runtime opens', async () => {
    const out = join(root, 'model');
    mkdirSync(join(out, '.checkpoint'), { recursive: true });
    writeFileSync(join(out, OUTPUT_MARKER), '');
    const bytes = encodeCheckpointFile(checkpoint);
    bytes[bytes.length - 1] ^= 0x80;
    writeFileSync(join(out, '.checkpoint', 'state.bin'), bytes);
    const { code, message } = await mainInProcess(['train', '--out', out, '--persons', '6', '--events', '3', '--model-size', 'test', '--seq-len', '96']);
    expect(code).toBe(2);
    expect(message).toBe(`pebench train: ${join(out, '.checkpoint', 'state.bin')} is not a usable checkpoint (its tensor m:w fails its sha256 check: the file was damaged or edited): nothing was resumed. Delete the folder ${join(out, '.checkpoint')} (or pass --force) to start training over, or restore state.bin from a backup.`);
  });
});
