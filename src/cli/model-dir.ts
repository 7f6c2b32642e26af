// Opens a model folder for a CLI command: `--model DIR` or, by default, the shipped
// models/pebench-tiny of this checkout (found from this file's location, not the working directory).
// Failures become CliErrors that name the folder or file and how to restore it.
// Not here: verification itself (src/model/manifest.ts) or running the model (src/runtime).
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModel, type LoadedModel } from '../model/export.ts';
import { ModelFilesError, RESTORE_HINT } from '../model/manifest.ts';
import { FolderFiles } from '../model/node-files.ts';
import { CliError } from './args.ts';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DEFAULT_MODEL_DIR = resolve(PROJECT_ROOT, 'models/pebench-tiny');

/** Help text for a `--model` flag. */
export const MODEL_FLAG_HELP = 'model folder (transformers.js LLaVA layout with manifest.json); default: the shipped models/pebench-tiny';

export interface OpenedModel extends LoadedModel {
  /** The absolute folder it was loaded from. */
  dir: string;
}

/** Loads and verifies the model folder `dir` (relative to the working directory), or the shipped model. */
export async function openModelDir(dir?: string): Promise<OpenedModel> {
  const folder = dir === undefined || dir === '' ? DEFAULT_MODEL_DIR : resolve(dir);
  let isFolder = false;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    throw new CliError(`model folder ${folder} does not exist: ${dir ? 'check --model, or ' : ''}${RESTORE_HINT}`);
  }
  if (!isFolder) throw new CliError(`--model ${folder} is a file, not a model folder: pass the folder that holds manifest.json`);
  try {
    return { ...(await loadModel(new FolderFiles(folder))), dir: folder };
  } catch (error) {
    if (error instanceof ModelFilesError) throw new CliError(error.message);
    // Files that pass their sha256 check but do not parse (hand-edited manifest, foreign folder).
    if (error instanceof Error) throw new CliError(`model folder ${folder} could not be loaded (${error.message}): ${RESTORE_HINT}`);
    throw error;
  }
}
