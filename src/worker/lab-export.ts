// The lab's "download this model": the current weights (LoRA merged) as a transformers.js LLaVA
// folder (src/model/export.ts: config, tokenizer, three ONNX graphs, manifest.json whose meta says
// it is an unlearned state: method, settings, request, step, the Finetune model's hash) plus a short
// README, zipped store-only under one top folder named like the zip; on request also pytorch/, the
// same weights as a PyTorch / Hugging Face transformers folder (src/model/pytorch-export.ts). Loads
// back with loadModel and into the lab like any model folder. Not here: reading the weights
// (lab-engine.ts), saving the file (UI).
import { exportModel, type LoadedModel } from '../model/export.ts';
import { MemoryFiles, textBytes } from '../model/files.ts';
import type { Params } from '../model/params.ts';
import { zipFiles } from '../storage/zip.ts';
import { pytorchFiles } from '../model/pytorch-export.ts';
import type { World } from '../world/index.ts';
import type { LabResult } from './lab-protocol.ts';
import { runRecord, type RunConfig } from '../unlearning/run-config.ts';

/** The subfolder of the zip that holds the PyTorch export, when asked for. */
export const PYTORCH_FOLDER = 'pytorch';

export interface UnlearnedState {
  config: RunConfig;
  step: number;
  totalSteps: number;
  /** The backend the state was computed on. */
  backend: string;
}

/** 'pebench-tiny-npo-step60.zip' */
export function exportFileName(state: Pick<UnlearnedState, 'config' | 'step'>): string {
  return `pebench-tiny-${state.config.method}${state.config.bgd ? '-bgd' : ''}-step${state.step}.zip`;
}

export async function exportUnlearnedModel(
  finetune: LoadedModel, world: World, params: Params, state: UnlearnedState, options: { pytorch?: boolean } = {},
): Promise<LabResult<'exportModel'>> {
  const { config, step, totalSteps } = state;
  const meta = {
    kind: 'unlearned',
    world: world.config,
    from: finetune.manifest.modelHash,
    unlearning: { source: 'PEBench Lab (browser)', ...runRecord(config), step, totalSteps, backend: state.backend },
  };
  const folder = new MemoryFiles('lab export');
  const manifest = await exportModel(folder, finetune.cfg, params, finetune.tokenizer, meta);
  folder.files.set('README.md', textBytes(readme(finetune, world, state, manifest.modelHash, options.pytorch === true)));
  if (options.pytorch) {
    const torch = pytorchFiles(finetune.cfg, params, finetune.tokenizer, { modelHash: manifest.modelHash, meta });
    for (const [path, data] of torch) folder.files.set(`${PYTORCH_FOLDER}/${path}`, data);
  }
  const fileName = exportFileName(state);
  const top = fileName.replace(/\.zip$/, '');
  const entries = [...folder.files].sort(([a], [b]) => (a < b ? -1 : 1)).map(([path, data]) => [`${top}/${path}`, data] as const);
  return { zip: zipFiles(entries), fileName, files: entries.length };
}

function readme(finetune: LoadedModel, world: World, state: UnlearnedState, modelHash: string, pytorch: boolean): string {
  const { config, step, totalSteps } = state;
  const request = [
    `target ${config.request.target}`,
    config.request.personRatio !== undefined ? `person ratio ${config.request.personRatio}` : null,
    config.request.eventRatio !== undefined ? `event ratio ${config.request.eventRatio}` : null,
    `forget seed ${config.request.forgetSeed}`,
  ].filter(Boolean).join(', ');
  const settings = Object.entries(config.settings).map(([k, v]) => `${k} ${v}`).join(', ');
  return [
    `# PE-Tiny after unlearning: ${config.method.toUpperCase()}${config.bgd ? ' + BGD' : ''}, step ${step} of ${totalSteps}`,
    '',
    'An unlearned state exported from PEBench Lab: the Finetune model below with the run\'s trained',
    `${config.lastBlocks ? `last ${config.lastBlocks} decoder blocks` : 'LoRA adapters merged into the decoder'}. It is a research artefact of a`,
    'fictitious world: it knows nothing outside it.',
    '',
    '| | |',
    '|---|---|',
    `| Finetune model | \`${finetune.manifest.modelHash}\` |`,
    `| this model | \`${modelHash}\` (manifest.json) |`,
    `| world | seed ${world.config.seed}, ${world.config.persons} persons x ${world.config.events} events |`,
    `| forget request | ${request} |`,
    `| method | ${config.method}${config.bgd ? ' with BGD' : ''}; ${settings}; run seed ${config.seed} |`,
    `| step | ${step} of ${totalSteps} (computed on ${state.backend}) |`,
    '',
    'Files: the transformers.js LLaVA layout (config, tokenizer and processor JSON, `onnx/vision_encoder.onnx`,',
    '`onnx/embed_tokens.onnx`, `onnx/decoder_model_merged.onnx`, fp32) and `manifest.json` (sha256 of every',
    'file; its `meta.unlearning` repeats the table above). Load the folder in the lab or with',
    '`npx pebench eval --model <folder>`.',
    ...(pytorch ? [
      '',
      `\`${PYTORCH_FOLDER}/\` holds the same weights for PyTorch: \`AutoModelForImageTextToText.from_pretrained("${PYTORCH_FOLDER}", trust_remote_code=True)\``,
      'with Hugging Face transformers (its README.md says more). manifest.json does not list it.',
    ] : []),
    '',
  ].join('\n');
}
