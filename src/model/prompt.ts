// The lab's prompt, defined once and used by training, scoring, generation and the exported chat
// template:  <bos> [<image> x imageTokens] <user> question <assistant>   then   answer <eos>.
// The image tokens (16 by default) sit right after <bos>; text-only questions have none.
// CHAT_TEMPLATE (Jinja, for transformers.js) renders the same text with ONE "<image>", which the
// LLaVA processor expands to imageTokens copies. Not here: packing several turns (sequence.ts).
import { SPECIAL_TOKENS, type Encoding, type Tokenizer } from './tokenizer.ts';

export interface PromptInput {
  /** Whether an image comes with the question. */
  image: boolean;
  question: string;
}

const { bos, eos, image: imageToken, user, assistant } = SPECIAL_TOKENS;

/** The prompt as text, with a single "<image>" as the chat template writes it. */
export function promptText(input: PromptInput): string {
  return `${bos}${input.image ? imageToken : ''}${user}${input.question}${assistant}`;
}

/** Prompt token ids with the image expanded to `imageTokens` copies of `<image>`. */
export function promptIds(tokenizer: Tokenizer, input: PromptInput, imageTokens: number): Encoding {
  const question = tokenizer.encode(input.question);
  const { ids } = tokenizer;
  const image = input.image ? new Array<number>(imageTokens).fill(ids.image) : [];
  return { ids: [ids.bos, ...image, ids.user, ...question.ids, ids.assistant], unknown: question.unknown };
}

/** Answer token ids, ending with `<eos>`. */
export function answerIds(tokenizer: Tokenizer, answer: string): Encoding {
  const encoded = tokenizer.encode(answer);
  return { ids: [...encoded.ids, tokenizer.ids.eos], unknown: encoded.unknown };
}

/** The messages transformers.js's apply_chat_template takes for one question. */
export function chatMessages(input: PromptInput): { role: 'user'; content: ({ type: 'image' } | { type: 'text'; text: string })[] }[] {
  const content: ({ type: 'image' } | { type: 'text'; text: string })[] = input.image ? [{ type: 'image' }] : [];
  content.push({ type: 'text', text: input.question });
  return [{ role: 'user', content }];
}

const contentText = (name: string) =>
  `{%- if ${name} is string -%}{{- ${name} -}}{%- else -%}` +
  `{%- for part in ${name} -%}{%- if part['type'] == 'text' -%}{{- part['text'] -}}{%- endif -%}{%- endfor -%}{%- endif -%}`;

/**
 * Jinja chat template: user turns render [<image>...]<user>text, assistant turns <assistant>text<eos>,
 * and the generation prompt is <assistant>; the whole conversation starts with <bos>.
 */
export const CHAT_TEMPLATE = [
  '{{- bos_token -}}',
  '{%- for message in messages -%}',
  "{%- if message['role'] == 'user' -%}",
  "{%- if message['content'] is not string -%}",
  "{%- for part in message['content'] -%}{%- if part['type'] == 'image' -%}{{- '" + imageToken + "' -}}{%- endif -%}{%- endfor -%}",
  '{%- endif -%}',
  "{{- '" + user + "' -}}" + contentText("message['content']"),
  "{%- elif message['role'] == 'assistant' -%}",
  "{{- '" + assistant + "' -}}" + contentText("message['content']") + "{{- '" + eos + "' -}}",
  '{%- endif -%}',
  '{%- endfor -%}',
  "{%- if add_generation_prompt -%}{{- '" + assistant + "' -}}{%- endif -%}",
].join('');
