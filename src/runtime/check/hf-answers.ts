// transformers.js's side of the model self-check page: loads a model folder the app serves under
// `<base>/models/` with remote loading off, the browser cache off and ORT's WASM files from the
// app's own `/ort/` (vite-plugin-hf-ort.ts), then answers one image question at a time with greedy
// generation, exactly as a downstream user of the exported folder would. Browser only.
// Not here: the lab's own runtime (Answerer) or any comparison.
import { AutoProcessor, LlavaForConditionalGeneration, RawImage, env } from '@huggingface/transformers';
import { promptText } from '../../model/prompt.ts';

export interface TransformersModel {
  /** ORT-web threads transformers.js's own onnxruntime instance runs with. */
  readonly threads: number;
  /** Greedy generation: the generated token ids after the prompt, as transformers.js returns them. */
  answer(rgba: Uint8ClampedArray, size: number, question: string, maxNewTokens: number): Promise<number[]>;
  /** The same, plus the ms spent in model.generate() alone (not the processor's image and text work). */
  timedAnswer(rgba: Uint8ClampedArray, size: number, question: string, maxNewTokens: number): Promise<{ tokens: number[]; generateMs: number }>;
  decode(tokens: readonly number[]): string;
  dispose(): Promise<void>;
}

/**
 * Opens `modelsPath + name` (e.g. '/models/' + 'pebench-tiny') as a LLaVA model in fp32 on WASM;
 * `wasmPrefix` is the absolute URL of the folder holding ORT's asyncify .mjs/.wasm; `threads` sets
 * its WASM thread count (ORT's own default is half the cores), e.g. to match the lab runtime's.
 */
export async function openTransformersModel(name: string, modelsPath: string, wasmPrefix: string, threads?: number): Promise<TransformersModel> {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = modelsPath;
  env.useBrowserCache = false;
  env.useWasmCache = false;
  const wasm = env.backends.onnx.wasm;
  if (!wasm) throw new Error('transformers.js has no onnxruntime-web WASM backend in this page: check that the bundle resolved onnxruntime-web/webgpu');
  // A prefix string: ORT appends the file names of the build it was bundled as (the asyncify pair).
  wasm.wasmPaths = wasmPrefix;
  wasm.proxy = false;
  if (threads !== undefined) wasm.numThreads = threads;

  const processor = await AutoProcessor.from_pretrained(name);
  const model = await LlavaForConditionalGeneration.from_pretrained(name, { dtype: 'fp32', device: 'wasm' });
  const tokenizer = processor.tokenizer;
  if (!tokenizer) throw new Error(`transformers.js loaded no tokenizer for ${modelsPath}${name}: the folder needs tokenizer.json and tokenizer_config.json`);
  const timedAnswer: TransformersModel['timedAnswer'] = async (rgba, size, question, maxNewTokens) => {
    const inputs = await processor(new RawImage(new Uint8ClampedArray(rgba), size, size, 4), promptText({ image: true, question }));
    const started = performance.now();
    const out = await model.generate({ ...inputs, max_new_tokens: maxNewTokens, do_sample: false });
    const generateMs = performance.now() - started;
    const promptLength = inputs.input_ids.dims[1];
    return { tokens: Array.from((out as unknown as { data: BigInt64Array }).data, Number).slice(promptLength), generateMs };
  };
  return {
    threads: wasm.numThreads ?? 1,
    timedAnswer,
    async answer(rgba, size, question, maxNewTokens) {
      return (await timedAnswer(rgba, size, question, maxNewTokens)).tokens;
    },
    decode(tokens) {
      return tokenizer.decode([...tokens], { skip_special_tokens: true });
    },
    async dispose() {
      await model.dispose();
    },
  };
}
