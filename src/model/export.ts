// Saves and loads a PE-Tiny model folder in the transformers.js LLaVA layout: config.json,
// generation_config.json, preprocessor_config.json, processor_config.json, tokenizer.json,
// tokenizer_config.json (with the chat template), special_tokens_map.json, chat_template.jinja (the
// processor's template for Python), the three ONNX graphs
// (weights inside), and manifest.json (sizes, sha256, model hash, config, metadata). loadModel
// verifies the manifest first and rebuilds config, parameters (from the ONNX initializers) and
// tokenizer. Not here: where bytes live (files.ts / node-files.ts) or training.
import { validateConfig, type PeTinyConfig } from './config.ts';
import { bytesText, textBytes, type FileSink, type FileSource } from './files.ts';
import {
  configFromModelJson, generationConfigJson, modelConfigJson, preprocessorConfigJson, processorConfigJson,
} from './hf-config.ts';
import { INFERENCE_FILES, inferenceModels } from './inference.ts';
import { MANIFEST_FILE, ModelFilesError, RESTORE_HINT, buildManifest, readManifest, verifyFiles, type Manifest } from './manifest.ts';
import { paramsFromOnnx } from './onnx-params.ts';
import { checkParams, type Params } from './params.ts';
import { specialTokensMapJson, tokenizerConfigJson, tokenizerFromJson, tokenizerJson } from './tokenizer-json.ts';
import type { Tokenizer } from './tokenizer.ts';
import { RENDER_VERSION } from '../world/render-version.ts';
import { CHAT_TEMPLATE } from './prompt.ts';

export interface LoadedModel {
  cfg: PeTinyConfig;
  params: Params;
  tokenizer: Tokenizer;
  manifest: Manifest;
  /** Every verified file by path (e.g. the ONNX bytes for openInferenceSessions). */
  files: Map<string, Uint8Array>;
}

const json = (value: unknown) => textBytes(JSON.stringify(value, null, 2) + '\n');

/** Every file of the model folder (without the manifest), by path. */
export function modelFiles(cfg: PeTinyConfig, params: Params, tokenizer: Tokenizer): Map<string, Uint8Array> {
  validateConfig(cfg);
  if (tokenizer.size !== cfg.vocabSize) throw new Error(`tokenizer has ${tokenizer.size} tokens but the config's vocabSize is ${cfg.vocabSize}: use withVocabulary(cfg, tokenizer.size)`);
  checkParams(cfg, params);
  const files = new Map<string, Uint8Array>([
    ['config.json', json(modelConfigJson(cfg))],
    ['generation_config.json', json(generationConfigJson())],
    ['preprocessor_config.json', json(preprocessorConfigJson(cfg))],
    ['processor_config.json', json(processorConfigJson(cfg))],
    ['tokenizer.json', json(tokenizerJson(tokenizer))],
    ['tokenizer_config.json', json(tokenizerConfigJson(cfg.maxPositions))],
    ['special_tokens_map.json', json(specialTokensMapJson())],
    // The processor's chat template, as Python's AutoProcessor reads it (transformers.js uses the tokenizer's).
    ['chat_template.jinja', textBytes(CHAT_TEMPLATE)],
  ]);
  for (const [path, bytes] of Object.entries(inferenceModels(cfg, params))) files.set(path, bytes);
  return files;
}

/** Writes the model folder; returns its manifest (files first, manifest last). */
export async function exportModel(
  sink: FileSink, cfg: PeTinyConfig, params: Params, tokenizer: Tokenizer, meta: Record<string, unknown> = {},
): Promise<Manifest> {
  const files = modelFiles(cfg, params, tokenizer);
  // A model of the world records which renders it learnt (world/render-version.ts).
  const stamped = meta.world !== undefined ? { ...meta, renderVersion: RENDER_VERSION } : meta;
  const manifest = await buildManifest(files, cfg, stamped);
  for (const [path, data] of files) await sink.write(path, data);
  await sink.write(MANIFEST_FILE, json(manifest));
  return manifest;
}

/** Verifies every file against the manifest, then rebuilds config, parameters and tokenizer. */
export async function loadModel(source: FileSource): Promise<LoadedModel> {
  const manifest = await readManifest(source);
  const files = await verifyFiles(source, manifest);
  const need = (path: string) => {
    const data = files.get(path);
    if (!data) throw new ModelFilesError(`model manifest ${source.label}/${MANIFEST_FILE} does not list ${path}: ${RESTORE_HINT}`, path);
    return data;
  };
  const cfg = configFromModelJson(JSON.parse(bytesText(need('config.json'))), `${source.label}/config.json`);
  const tokenizer = tokenizerFromJson(JSON.parse(bytesText(need('tokenizer.json'))), `${source.label}/tokenizer.json`);
  const params: Params = {};
  for (const path of Object.values(INFERENCE_FILES)) Object.assign(params, paramsFromOnnx(need(path), `${source.label}/${path}`));
  checkParams(cfg, params);
  return { cfg, params, tokenizer, manifest, files };
}
