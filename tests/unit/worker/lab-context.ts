// What the lab-engine test file shares with the case files it runs (one micro-world model trained
// once per file, as training is the slow part): the model folder and a loaded LabEngine on it.
import type { LabEngine, LabEngineOptions } from '../../../src/worker/lab-engine.ts';
import type { LabResult } from '../../../src/worker/lab-protocol.ts';

export interface LabTestContext {
  /** The micro-world Finetune model folder (trained by `pebench train` in beforeAll). */
  model: string;
  engine: LabEngine;
  loaded: LabResult<'load'>;
  /** The options the shared engine was made with (loaders, small evaluation caps). */
  options: LabEngineOptions;
}

export const PERSON_REQUEST = { target: 'person', personRatio: 0.05, forgetSeed: 0 } as const;
export const JOINT_REQUEST = { target: 'both', personRatio: 0.05, eventRatio: 0.05, forgetSeed: 0 } as const;
