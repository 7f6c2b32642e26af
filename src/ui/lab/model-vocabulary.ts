// The loaded model's vocabulary on the page, to mark unknown words before a question is asked: the
// model folder's tokenizer.json (the file the worker loads, 22 KB, a cached read by now) parsed by
// the worker's own reader. Rebuilding it from the world instead held the main thread 0.2-0.35 s.
// Not here: the check itself (model/question-words.ts).
import { tokenizerFromJson } from '../../model/tokenizer-json.ts';
import type { Tokenizer } from '../../model/tokenizer.ts';

/** The tokenizer of the model folder at `folderUrl` (absolute, ending in "/"). */
export async function fetchModelTokenizer(folderUrl: string, fetcher: (url: string) => Promise<Response> = (url) => fetch(url)): Promise<Tokenizer> {
  const url = new URL('tokenizer.json', folderUrl).href;
  const response = await fetcher(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return tokenizerFromJson(await response.json(), url);
}
