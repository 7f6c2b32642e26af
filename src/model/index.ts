// Public API of PE-Tiny, the lab's small LLaVA-style model: config, tokenizer and prompt, packed
// training rows, graph builders (training step, scoring, the three inference graphs), pixel
// normalisation, and export/load of the transformers.js model folder.
// Not here: running graphs (src/runtime, incl. generate.ts), the training loop (train*.ts), Node file I/O
// (import node-files.ts directly in Node code).
export { DEFAULT_CONFIG, TEST_CONFIG, headDim, imageGrid, imageTokenCount, validateConfig, withVocabulary } from './config.ts';
export type { DecoderConfig, PeTinyConfig, ProjectorConfig, VisionConfig } from './config.ts';
export { SPECIAL_TOKENS, SPECIAL_TOKEN_ORDER, Tokenizer, normalizeText, preTokenize } from './tokenizer.ts';
export type { Encoding, SpecialTokenRole } from './tokenizer.ts';
export { specialTokensMapJson, tokenizerConfigJson, tokenizerFromJson, tokenizerJson } from './tokenizer-json.ts';
export { CHAT_TEMPLATE, answerIds, chatMessages, promptIds, promptText } from './prompt.ts';
export type { PromptInput } from './prompt.ts';
export { PAD_SEGMENT, packRow, rowsToFeeds, turnIds } from './sequence.ts';
export type { HostFeed, PackOptions, PackedRow, Turn } from './sequence.ts';
export { checkParams, countParams, decoderLayerOf, initParams, paramGroup, paramSpecs } from './params.ts';
export type { ParamGroup, ParamSpec, Params } from './params.ts';
export { GRAPH_INPUTS, IMAGE_TOKEN_ID, buildScoringGraph, buildTrainGraph, weightPolicy } from './vlm.ts';
export type { ImageInput, RowShape, ScoringGraphOptions, TrainGraph, TrainGraphOptions, TrainableSet } from './vlm.ts';
export { trainFeeds, paramFeeds, paramsFromState, mergeLora } from './graph-io.ts';
export { INFERENCE_FILES, buildDecoderGraph, buildEmbedTokensGraph, buildVisionEncoderGraph, inferenceModels } from './inference.ts';
export { normalizePixels, pixelBatch } from './pixels.ts';
export { decodePng, imageToModelRgba, type DecodedImage, type ModelRgba } from './image-input.ts';
export { MemoryFiles, type FileSink, type FileSource } from './files.ts';
export { exportModel, loadModel, modelFiles, type LoadedModel } from './export.ts';
export { ModelFilesError, RESTORE_HINT, sha256Hex, type Manifest, type ManifestEntry } from './manifest.ts';
