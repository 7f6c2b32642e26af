// The lab's tokenizer: whole words of the world's vocabulary as tokens (a WordPiece vocabulary with
// no "##" pieces, so a word is either known or `<unk>`), BERT-style normalisation (lowercase, accents
// stripped) and pre-tokenisation (split on whitespace and at every punctuation mark), plus special
// tokens. It reproduces what Hugging Face tokenizers do with the tokenizer.json written by
// tokenizer-json.ts, id for id and character for character.
// Not here: the prompt layout (prompt.ts) or file formats (tokenizer-json.ts).

export const SPECIAL_TOKENS = {
  pad: '<pad>',
  unk: '<unk>',
  bos: '<bos>',
  eos: '<eos>',
  image: '<image>',
  user: '<user>',
  assistant: '<assistant>',
} as const;
export type SpecialTokenRole = keyof typeof SPECIAL_TOKENS;

/** Special tokens take the first ids, in this order. */
export const SPECIAL_TOKEN_ORDER: readonly SpecialTokenRole[] = ['pad', 'unk', 'bos', 'eos', 'image', 'user', 'assistant'];

/**
 * Text fixes applied after joining words with spaces, in order (the WordPiece decoder joins with
 * spaces; these glue punctuation back): "person ' s" -> "person's", "relaxing :" -> "relaxing:".
 */
export const DECODE_REPLACEMENTS: readonly (readonly [string, string])[] = [
  [' .', '.'], [' ,', ','], [' ?', '?'], [' !', '!'], [' :', ':'], [' ;', ';'], [" ' ", "'"], [' - ', '-'],
];

export interface Encoding {
  ids: number[];
  /** Words (after normalisation) that are not in the vocabulary and became `<unk>`, in order. */
  unknown: string[];
}

// BERT's punctuation: every Unicode punctuation mark plus ASCII symbols that are not letters/digits.
const PUNCTUATION = '\\p{P}\\u0021-\\u002F\\u003A-\\u0040\\u005B-\\u0060\\u007B-\\u007E';
const PRE_TOKEN = new RegExp(`[^\\s${PUNCTUATION}]+|[${PUNCTUATION}]`, 'gu');

/** Lowercase, then strip accents (NFD and drop combining marks), as BertNormalizer(lowercase) does. */
export function normalizeText(text: string): string {
  return text.toLowerCase().normalize('NFD').replace(/\p{Mn}/gu, '');
}

/** Normalised words and punctuation marks of a text (no special-token handling). */
export function preTokenize(text: string): string[] {
  return normalizeText(text).match(PRE_TOKEN) ?? [];
}

export class Tokenizer {
  readonly vocab: readonly string[];
  readonly ids: Readonly<Record<SpecialTokenRole, number>>;
  private readonly index: ReadonlyMap<string, number>;
  private readonly specialIds: ReadonlySet<number>;
  /** Special tokens, longest first, for splitting raw text. */
  private readonly specialsByLength: readonly string[];

  /** `vocab[id]` is the token of each id; the special tokens take ids 0..6 in SPECIAL_TOKEN_ORDER. */
  constructor(vocab: readonly string[]) {
    const index = new Map<string, number>();
    vocab.forEach((token, id) => {
      if (index.has(token)) throw new Error(`tokenizer vocabulary lists "${token}" twice (ids ${index.get(token)} and ${id})`);
      index.set(token, id);
    });
    // Special ids are fixed (0..6) so graphs and configs can rely on them.
    const ids = {} as Record<SpecialTokenRole, number>;
    SPECIAL_TOKEN_ORDER.forEach((role, expected) => {
      const id = index.get(SPECIAL_TOKENS[role]);
      if (id !== expected) throw new Error(`tokenizer vocabulary must have ${SPECIAL_TOKENS[role]} at id ${expected}, found ${id ?? 'none'}`);
      ids[role] = id;
    });
    this.vocab = [...vocab];
    this.index = index;
    this.ids = ids;
    this.specialIds = new Set(Object.values(ids));
    this.specialsByLength = Object.values(SPECIAL_TOKENS).sort((a, b) => b.length - a.length);
  }

  /** Special tokens first (SPECIAL_TOKEN_ORDER), then the given words (normalised, deduplicated, sorted). */
  static fromWords(words: readonly string[]): Tokenizer {
    const specials = SPECIAL_TOKEN_ORDER.map((role) => SPECIAL_TOKENS[role] as string);
    const normalised = new Set<string>();
    for (const word of words) {
      const pieces = preTokenize(word);
      if (pieces.length !== 1 || pieces[0] !== normalizeText(word)) {
        throw new Error(`vocabulary entry "${word}" is not a single normalised word or punctuation mark (it splits into ${JSON.stringify(pieces)})`);
      }
      if (!specials.includes(pieces[0])) normalised.add(pieces[0]);
    }
    return new Tokenizer([...specials, ...[...normalised].sort()]);
  }

  get size(): number {
    return this.vocab.length;
  }

  idOf(token: string): number | undefined {
    return this.index.get(token);
  }

  isSpecial(id: number): boolean {
    return this.specialIds.has(id);
  }

  /**
   * Token ids of a text: special tokens written literally (e.g. "<image>") are kept as such, the rest
   * is normalised and split into words; unknown words become `<unk>` and are listed in `unknown`.
   */
  encode(text: string): Encoding {
    const ids: number[] = [];
    const unknown: string[] = [];
    for (const piece of this.splitSpecials(text)) {
      if (piece.special) {
        ids.push(this.index.get(piece.text)!);
        continue;
      }
      for (const word of preTokenize(piece.text)) {
        const id = this.index.get(word);
        // Special-token strings typed inside words were split off above, so a hit here is a word.
        if (id === undefined || this.specialIds.has(id)) {
          ids.push(this.ids.unk);
          unknown.push(word);
        } else {
          ids.push(id);
        }
      }
    }
    return { ids, unknown };
  }

  /** Text of token ids: words joined by spaces with punctuation glued back (DECODE_REPLACEMENTS). */
  decode(ids: readonly number[], options: { skipSpecial?: boolean } = {}): string {
    const skip = options.skipSpecial ?? true;
    const tokens: string[] = [];
    for (const id of ids) {
      if (skip && this.specialIds.has(id)) continue;
      tokens.push(this.vocab[id] ?? SPECIAL_TOKENS.unk);
    }
    let text = tokens.join(' ');
    for (const [from, to] of DECODE_REPLACEMENTS) text = text.split(from).join(to);
    return text;
  }

  /** Raw text cut at literal special tokens (leftmost match, longest token first at a position). */
  private splitSpecials(text: string): { text: string; special: boolean }[] {
    const out: { text: string; special: boolean }[] = [];
    let start = 0;
    let i = 0;
    while (i < text.length) {
      const hit = text[i] === '<' ? this.specialsByLength.find((s) => text.startsWith(s, i)) : undefined;
      if (!hit) {
        i++;
        continue;
      }
      if (i > start) out.push({ text: text.slice(start, i), special: false });
      out.push({ text: hit, special: true });
      i += hit.length;
      start = i;
    }
    if (start < text.length) out.push({ text: text.slice(start), special: false });
    return out;
  }
}
