// The files of `pebench train` in its --out folder: the checks before training (a folder pebench
// owns or a new one, room for the model and its checkpoints), the checkpoint DIR/.checkpoint/state.bin
// (verified before resuming: src/training/checkpoint-file.ts; written through a temporary name), and
// the final model, saved elsewhere with the error saying where when --out fails at the end.
// Not here: the flags and the training loop (train-command.ts, src/training/trainer.ts).
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Checkpoint } from '../model/checkpoint.ts';
import { CheckpointFileError, checkpointAdvice, decodeCheckpointFile, encodeCheckpointFile } from '../training/checkpoint-file.ts';
import { CliError } from './args.ts';
import { checkFreeSpace, checkReplaceableFolder, checkWritableParent, isOwnedFolder, writeMarker } from './output-check.ts';
import { errorCode, rescueFolder, writeFileAtomic } from './safe-write.ts';

export interface TrainOutput {
  out: string;
  checkpointDir: string;
  checkpointPath: string;
  /** The verified checkpoint to resume from, if any. */
  resume?: Checkpoint;
}

/** DIR/.checkpoint/state.bin: the README and the messages name it so. */
const CHECKPOINT_DIR = '.checkpoint';
const CHECKPOINT_FILE = 'state.bin';

/**
 * Checks --out before any training: a new or empty folder, or one pebench wrote (never one with .git
 * or foreign files); resumes from its checkpoint unless `force`; refuses a finished model without
 * `force`; needs about `bytesNeeded` free. Creates the folder with its marker.
 */
export function prepareTrainOutput(out: string, force: boolean, bytesNeeded: number): TrainOutput {
  const checkpointDir = join(out, CHECKPOINT_DIR);
  const checkpointPath = join(checkpointDir, CHECKPOINT_FILE);
  checkReplaceableFolder('--out', out);
  let resume: Checkpoint | undefined;
  if (force) {
    rmSync(checkpointDir, { recursive: true, force: true });
  } else if (existsSync(checkpointPath)) {
    resume = readCheckpoint(checkpointPath, checkpointDir);
  } else if (existsSync(join(out, 'manifest.json'))) {
    throw new CliError(`${out} already holds a trained model (manifest.json); pass --force to train over it, or choose another --out.`);
  }
  checkWritableParent('--out', out);
  checkFreeSpace('--out', existsSync(out) ? out : dirname(out), bytesNeeded);
  // Non-recursive on purpose: a recursive mkdir under /proc or similar never returns.
  for (const folder of [out, checkpointDir]) {
    if (existsSync(folder)) continue;
    try {
      mkdirSync(folder);
    } catch (error) {
      throw new CliError(`cannot create ${folder}: ${errorCode(error)}. Choose a writable --out.`);
    }
  }
  if (!isOwnedFolder(out)) writeMarker(out, 'train');
  return { out, checkpointDir, checkpointPath, resume };
}

/** Reads and verifies a checkpoint file; anything wrong is a CliError naming it and what to do. */
export function readCheckpoint(path: string, dir: string): Checkpoint {
  let bytes: Uint8Array;
  try {
    if (!statSync(path).isFile()) throw new CliError(`${path} is not a plain file: ${checkpointAdvice(dir)}.`);
    bytes = new Uint8Array(readFileSync(path));
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`cannot read the checkpoint ${path} (${errorCode(error)}): ${checkpointAdvice(dir)}.`);
  }
  try {
    return decodeCheckpointFile(bytes, path, dir);
  } catch (error) {
    if (error instanceof CheckpointFileError) throw new CliError(error.message);
    throw error;
  }
}

export function writeCheckpoint(output: TrainOutput, checkpoint: Checkpoint): void {
  writeFileAtomic(output.checkpointPath, encodeCheckpointFile(checkpoint));
}

/**
 * Runs `write` into --out; if that fails, into a rescue folder (working folder, else OS temp), and
 * throws a CliError (exit 1) saying where the model went and that the checkpoint is kept.
 */
export async function writeFinalModel(output: TrainOutput, write: (folder: string) => Promise<void>, rescueIn?: string[]): Promise<void> {
  try {
    await write(output.out);
  } catch (error) {
    const rescued = await rescueFolder('train-model', 'train', write, rescueIn);
    const kept = existsSync(output.checkpointPath) ? `; the finished training state is kept in ${output.checkpointPath}, so running the same command again writes the model without training again` : '';
    throw new CliError(
      `could not write the model to ${output.out} (${errorCode(error)})` +
        `${rescued ? `; it was saved to ${rescued} instead` : '; it could not be saved elsewhere either'}${kept}. Free some space or fix --out.`,
      1,
    );
  }
}
