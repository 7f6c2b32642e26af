// PE-Tiny's language decoder, LLaMA style: token embedding, pre-RMSNorm blocks with causal
// multi-head attention (fused qkv, rotary positions looked up by position id) and a SwiGLU MLP
// (fused gate/up), a final RMSNorm and an untied LM head. One code path serves every graph: the
// caller supplies the attention bias (packed training rows or KV-cache decoding) and, for decoding,
// past keys/values. Not here: image tokens (vlm.ts) or graph inputs/outputs (vlm.ts, inference.ts).
import * as E from '../engine/index.ts';
import { headDim, type PeTinyConfig } from './config.ts';
import type { Weights } from './weights.ts';

export interface KeyValue {
  /** (B, H, S, headDim) */
  key: E.Tensor;
  value: E.Tensor;
}

export interface AttentionSetup {
  /** cos and sin, broadcastable to (B, H, T, headDim). */
  rotary: { cos: E.Tensor; sin: E.Tensor };
  /** Additive bias for queries q (B, H, T, d) over keys k (B, H, S, d), broadcastable to (B, H, T, S). */
  bias: (q: E.Tensor, k: E.Tensor) => E.Tensor;
  /** Decoding only: the cached keys/values of a layer, prepended to the new ones. */
  past?: (layer: number) => KeyValue;
  /** Decoding only: receives each layer's full keys/values (past + new). */
  present?: (layer: number, kv: KeyValue) => void;
  /** Receives each block's output (B, T, D), the residual stream after layer `layer` (RMU's target). */
  afterBlock?: (layer: number, hidden: E.Tensor) => void;
}

/** input_ids (B, T) int64 -> (B, T, D). */
export function embedTokens(w: Weights, ids: E.Tensor): E.Tensor {
  return E.gather(w.get('decoder.embed_tokens'), ids);
}

/** Rotary cos/sin (B, 1, T, headDim) for position ids (B, T) int64, from tables of maxPositions rows. */
export function rotaryAt(g: E.Graph, cfg: PeTinyConfig, positionIds: E.Tensor): { cos: E.Tensor; sin: E.Tensor } {
  const tables = E.rotaryTables(g, cfg.maxPositions, headDim(cfg), cfg.decoder.ropeBase);
  const at = (table: E.Tensor) => E.unsqueeze(E.gather(table, positionIds), [1]);
  return { cos: at(tables.cos), sin: at(tables.sin) };
}

/**
 * Bias of packed training rows (B, 1, T, T): causal, and a query of turn s sees only keys of its own
 * turn or of the shared prefix (segment 0: `<bos>` and the image tokens). segmentIds (B, T) int64.
 */
export function packedRowBias(segmentIds: E.Tensor): E.Tensor {
  const t = segmentIds.shape[1];
  if (typeof t !== 'number') throw new E.ShapeError('packedRowBias', `needs a static sequence length, got ${E.formatShape(segmentIds.shape)}`);
  const keySegment = E.unsqueeze(segmentIds, [1]); // (B, 1, T)
  const sameTurn = E.or(E.equal(E.unsqueeze(segmentIds, [2]), keySegment), E.equal(keySegment, 0)); // (B, T, T)
  const turnBias = E.where(sameTurn, 0, E.MASKED_BIAS);
  return E.add(E.unsqueeze(turnBias, [1]), E.causalBias(segmentIds.graph, t));
}

/**
 * Bias for KV-cache decoding (B, 1, T, S): causal over the last T of S positions, and keys whose
 * attention_mask (B, S) int64 is 0 (left padding) hidden.
 */
export function decodingBias(q: E.Tensor, k: E.Tensor, attentionMask: E.Tensor): E.Tensor {
  const causal = E.causalBiasFor(q, k); // (T, S)
  // Index the mask with a range named after k's length so both biases share the symbolic dim S.
  const keyIndex = E.arange(E.shapeOf(k, 2, 3), k.shape[2]);
  const keep = E.gather(attentionMask, keyIndex, 1); // (B, S)
  const padding = E.where(E.equal(keep, 0), E.MASKED_BIAS, 0);
  return E.add(causal, E.unsqueeze(padding, [1, 2]));
}

function attentionBlock(w: Weights, x: E.Tensor, layer: number, setup: AttentionSetup): E.Tensor {
  const { cfg } = w;
  const d = cfg.decoder.width;
  const p = `decoder.layers.${layer}`;
  const h = E.rmsNorm(x, w.get(`${p}.attn_norm`), cfg.decoder.rmsEps);
  const qkv = w.linear(h, `${p}.qkv`); // (B, T, 3D)
  const [q0, k0, v0] = [0, 1, 2].map((i) => E.splitHeads(E.slice(qkv, -1, i * d, (i + 1) * d), cfg.decoder.heads)); // (B, H, T, hd)
  const q = E.applyRotary(q0, setup.rotary.cos, setup.rotary.sin);
  let kv: KeyValue = { key: E.applyRotary(k0, setup.rotary.cos, setup.rotary.sin), value: v0 };
  if (setup.past) {
    const past = setup.past(layer);
    kv = { key: E.concat([past.key, kv.key], 2), value: E.concat([past.value, kv.value], 2) }; // (B, H, P+T, hd)
  }
  setup.present?.(layer, kv);
  const attended = E.attention(q, kv.key, kv.value, setup.bias(q, kv.key)); // (B, H, T, hd)
  return w.linear(E.mergeHeads(attended), `${p}.o`);
}

function mlpBlock(w: Weights, x: E.Tensor, layer: number): E.Tensor {
  const { cfg } = w;
  const m = cfg.decoder.mlp;
  const p = `decoder.layers.${layer}`;
  const gateUp = w.linear(E.rmsNorm(x, w.get(`${p}.mlp_norm`), cfg.decoder.rmsEps), `${p}.gate_up`); // (B, T, 2M)
  const hidden = E.mul(E.silu(E.slice(gateUp, -1, 0, m)), E.slice(gateUp, -1, m, 2 * m));
  return w.linear(hidden, `${p}.down`);
}

/** Decoder blocks over input embeddings (B, T, D) -> final hidden states (B, T, D), after the last RMSNorm. */
export function decoderHidden(w: Weights, embeds: E.Tensor, setup: AttentionSetup): E.Tensor {
  let x = embeds;
  for (let l = 0; l < w.cfg.decoder.layers; l++) {
    x = w.graph.scope(`decoder${l}`, () => {
      const afterAttention = E.add(x, attentionBlock(w, x, l, setup));
      return E.add(afterAttention, mlpBlock(w, afterAttention, l));
    });
    setup.afterBlock?.(l, x);
  }
  return E.rmsNorm(x, w.get('decoder.norm'), w.cfg.decoder.rmsEps);
}

/** Embeddings (B, T, D) -> logits (B, T, vocab). */
export function decoderLogits(w: Weights, embeds: E.Tensor, setup: AttentionSetup): E.Tensor {
  return w.linear(decoderHidden(w, embeds, setup), 'decoder.lm_head');
}
