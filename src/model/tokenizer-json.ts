// The tokenizer as Hugging Face files: tokenizer.json (tokenizers format: WordPiece model with no
// "##" pieces, BertNormalizer that lowercases and strips accents, BertPreTokenizer, a decoder chain
// that joins words and glues punctuation exactly like Tokenizer.decode), tokenizer_config.json
// (special tokens, the lab's chat template) and special_tokens_map.json; and the way back.
// Not here: tokenisation itself (tokenizer.ts).
import { CHAT_TEMPLATE } from './prompt.ts';
import { DECODE_REPLACEMENTS, SPECIAL_TOKENS, SPECIAL_TOKEN_ORDER, Tokenizer } from './tokenizer.ts';

type Json = Record<string, unknown>;

const ADDITIONAL_SPECIALS = [SPECIAL_TOKENS.image, SPECIAL_TOKENS.user, SPECIAL_TOKENS.assistant];

export function tokenizerJson(tokenizer: Tokenizer): Json {
  const vocab: Record<string, number> = {};
  tokenizer.vocab.forEach((token, id) => (vocab[token] = id));
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKEN_ORDER.map((role, id) => ({
      id, content: SPECIAL_TOKENS[role], single_word: false, lstrip: false, rstrip: false, normalized: false, special: true,
    })),
    normalizer: { type: 'BertNormalizer', clean_text: false, handle_chinese_chars: false, strip_accents: true, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: null,
    decoder: {
      type: 'Sequence',
      decoders: [
        { type: 'WordPiece', prefix: '##', cleanup: false },
        { type: 'Fuse' },
        ...DECODE_REPLACEMENTS.map(([from, to]) => ({ type: 'Replace', pattern: { String: from }, content: to })),
      ],
    },
    model: {
      type: 'WordPiece', unk_token: SPECIAL_TOKENS.unk, continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab,
    },
  };
}

export function tokenizerConfigJson(maxLength: number): Json {
  return {
    tokenizer_class: 'PreTrainedTokenizerFast',
    bos_token: SPECIAL_TOKENS.bos,
    eos_token: SPECIAL_TOKENS.eos,
    unk_token: SPECIAL_TOKENS.unk,
    pad_token: SPECIAL_TOKENS.pad,
    additional_special_tokens: ADDITIONAL_SPECIALS,
    do_lower_case: true,
    clean_up_tokenization_spaces: false,
    model_max_length: maxLength,
    padding_side: 'left',
    chat_template: CHAT_TEMPLATE,
  };
}

export function specialTokensMapJson(): Json {
  return {
    bos_token: SPECIAL_TOKENS.bos,
    eos_token: SPECIAL_TOKENS.eos,
    unk_token: SPECIAL_TOKENS.unk,
    pad_token: SPECIAL_TOKENS.pad,
    additional_special_tokens: ADDITIONAL_SPECIALS,
  };
}

/** Reads a tokenizer.json written by tokenizerJson (vocabulary in id order). */
export function tokenizerFromJson(json: unknown, label = 'tokenizer.json'): Tokenizer {
  const model = (json as { model?: { type?: string; vocab?: Record<string, number> } })?.model;
  if (!model || model.type !== 'WordPiece' || !model.vocab) throw new Error(`${label} has no WordPiece model with a vocabulary: export the model again`);
  const vocab: string[] = [];
  for (const [token, id] of Object.entries(model.vocab)) {
    if (!Number.isInteger(id) || id < 0 || vocab[id] !== undefined) throw new Error(`${label}: token "${token}" has a bad or repeated id ${id}`);
    vocab[id] = token;
  }
  const hole = vocab.findIndex((t) => t === undefined);
  if (hole >= 0 || vocab.length !== Object.keys(model.vocab).length) throw new Error(`${label}: vocabulary ids are not contiguous (id ${hole} is missing)`);
  return new Tokenizer(vocab);
}
