// PE-Tiny's parameters under the names and layouts of the PyTorch model in the exported folder
// (python-code.ts): torch Linear weights are (out, in), ours (in, out), so matrices are transposed;
// the decoder becomes a plain Hugging Face Llama (`language_model.model.layers.N.self_attn.q_proj`
// ...): the fused qkv splits into q, k and v, the fused gate/up into gate_proj and up_proj. The vision
// tower and projector keep our names under `vision_tower.` and `projector.`.
// Not here: the file format (safetensors.ts) or the folder (pytorch-export.ts).
import type { PeTinyConfig } from './config.ts';
import { paramSpecs, type Params } from './params.ts';
import type { SafeTensor } from './safetensors.ts';

/** Columns [from, to) of a row-major (rows, cols) matrix, transposed: (to - from, rows). */
export function transposedColumns(data: Float32Array, rows: number, cols: number, from = 0, to = cols): Float32Array {
  const out = new Float32Array((to - from) * rows);
  for (let c = from; c < to; c++) {
    const base = (c - from) * rows;
    for (let r = 0; r < rows; r++) out[base + r] = data[r * cols + c];
  }
  return out;
}

/** Every parameter as a torch tensor, in a fixed order. */
export function torchTensors(cfg: PeTinyConfig, params: Params): SafeTensor[] {
  const out: SafeTensor[] = [];
  const d = cfg.decoder.width;
  const m = cfg.decoder.mlp;
  const add = (name: string, shape: number[], data: Float32Array) => out.push({ name, dtype: 'F32', shape, data });
  for (const spec of paramSpecs(cfg)) {
    const value = params[spec.name];
    const [rows, cols] = spec.shape;
    const linear = (name: string, from = 0, to = cols) => add(name, [to - from, rows], transposedColumns(value, rows, cols, from, to));
    if (spec.name.startsWith('vision.') || spec.name.startsWith('projector.')) {
      const name = spec.name.replace(/^vision\./, 'vision_tower.');
      const isMatrix = spec.shape.length === 2 && spec.name.endsWith('.weight');
      if (isMatrix) linear(name);
      else add(name, [...spec.shape], value);
      continue;
    }
    const layer = /^decoder\.layers\.(\d+)\.(.+)$/.exec(spec.name);
    const lm = 'language_model.model';
    if (layer) {
      const p = `${lm}.layers.${layer[1]}`;
      switch (layer[2]) {
        case 'attn_norm': add(`${p}.input_layernorm.weight`, [d], value); break;
        case 'mlp_norm': add(`${p}.post_attention_layernorm.weight`, [d], value); break;
        case 'qkv':
          linear(`${p}.self_attn.q_proj.weight`, 0, d);
          linear(`${p}.self_attn.k_proj.weight`, d, 2 * d);
          linear(`${p}.self_attn.v_proj.weight`, 2 * d, 3 * d);
          break;
        case 'o': linear(`${p}.self_attn.o_proj.weight`); break;
        case 'gate_up':
          linear(`${p}.mlp.gate_proj.weight`, 0, m);
          linear(`${p}.mlp.up_proj.weight`, m, 2 * m);
          break;
        case 'down': linear(`${p}.mlp.down_proj.weight`); break;
        default: throw new Error(`internal: no PyTorch name for ${spec.name}`);
      }
      continue;
    }
    if (spec.name === 'decoder.embed_tokens') add(`${lm}.embed_tokens.weight`, [...spec.shape], value);
    else if (spec.name === 'decoder.norm') add(`${lm}.norm.weight`, [d], value);
    else if (spec.name === 'decoder.lm_head') linear('language_model.lm_head.weight');
    else throw new Error(`internal: no PyTorch name for ${spec.name}`);
  }
  return out;
}
