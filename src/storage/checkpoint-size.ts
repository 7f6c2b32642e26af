// The largest checkpoint file the lab can write, derived from PE-Tiny's parameter list: an imported
// file bigger than that is refused by its size, before a byte of it is read (a 4 GB file chosen by
// mistake must not be read into memory first). Not here: the file's layout (checkpoint-file.ts).
import { DEFAULT_CONFIG, withVocabulary, type PeTinyConfig } from '../model/config.ts';
import { countParams } from '../model/params.ts';

/** The world's vocabulary is ~930 words (special tokens included); this leaves room for larger worlds. */
export const MAX_VOCABULARY = 4096;
/** Room for a file's JSON header: tensor list, run config, label and metrics (at most 64 KiB). */
const HEADER_ROOM = 1 << 20;

/**
 * The most bytes a checkpoint of a model with `cfg` takes. A run trains at most every decoder
 * parameter (lastBlocks = every block, plus the final norm and LM head; LoRA adapters of rank <= 64
 * are smaller), and AdamW keeps two moments per trained value: 3 float32 values per parameter.
 */
export function maxCheckpointBytes(cfg: PeTinyConfig = withVocabulary(DEFAULT_CONFIG, MAX_VOCABULARY)): number {
  return 3 * 4 * countParams(cfg).decoder + HEADER_ROOM;
}

/** The import limit: ~41 MB for PE-Tiny. */
export const MAX_CHECKPOINT_BYTES = maxCheckpointBytes();

export const megabytes = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
