// The import graph of src/, read as text: every `import … from '…'`, `export … from '…'`, bare
// `import '…'`, `import('…')` and worker `new URL('…', import.meta.url)` of each .ts/.mjs/.svelte
// file, relative paths resolved to repo paths ('src/…'), type-only imports marked.
// Not here: the rules the graph must keep (imports.test.ts).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface ImportEdge {
  /** The importing file, e.g. 'src/storage/checkpoint-file.ts'. */
  from: string;
  /** As written, e.g. '../worker/lab-protocol.ts' or 'onnxruntime-web'. */
  specifier: string;
  /** The repo path a relative specifier points to; null for a package. */
  target: string | null;
  /** `import type` / `export type`: erased at build, no module is loaded. */
  typeOnly: boolean;
  /** 'url': a worker started from `new URL('./x.ts', import.meta.url)`, a bundle of its own, not loaded by the importer. */
  kind: 'import' | 'url';
  line: number;
}

const SOURCE = /\.(ts|mts|mjs|js|svelte)$/;
// `import|export [type] [names, braces (comments allowed inside) from] '…'` at the start of a line;
// the names never run into the next statement (`export interface X {` then an import line).
const STATIC = /^[ \t]*(?:import|export)\s+(?!(?:interface|class|function|const|let|var|enum|abstract|declare|namespace|async|default)\b)(type\s+)?(?:(?:(?!\b(?:import|export)\b)[\w*${}\s,]|\/\/[^\n]*)+?\s+from\s*)?['"]([^'"\n]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*(?:\/\*[^*]*\*\/\s*)?['"]([^'"\n]+)['"]\s*\)/g;
const WORKER_URL = /\bnew URL\(\s*['"](\.\.?\/[^'"\n]+\.(?:ts|mts|mjs|js))['"]\s*,\s*import\.meta\.url\s*\)/g;

/** Every source file under `dir` (repo-relative, '/'-separated), sorted. */
export function sourceFiles(dir = 'src'): string[] {
  const out: string[] = [];
  const walk = (path: string): void => {
    for (const name of readdirSync(join(REPO_ROOT, path))) {
      const child = `${path}/${name}`;
      if (statSync(join(REPO_ROOT, child)).isDirectory()) walk(child);
      else if (SOURCE.test(name)) out.push(child);
    }
  };
  walk(dir);
  return out.sort();
}

/** The repo path of `specifier` imported from `from`, or null for a package (or node: builtin). */
export function resolveImport(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const path = posix.normalize(posix.join(posix.dirname(from), specifier));
  for (const candidate of [path, `${path}.ts`, `${path}/index.ts`]) {
    if (existsSync(join(REPO_ROOT, candidate)) && statSync(join(REPO_ROOT, candidate)).isFile()) return candidate;
  }
  return path;
}

const lineOf = (text: string, index: number): number => text.slice(0, index).split('\n').length;
/** True when the match starts inside a `//` or `/* … *\/` comment line (a quoted example, not an import). */
const inComment = (text: string, index: number): boolean => /^\s*(\/\/|\/?\*)/.test(text.slice(text.lastIndexOf('\n', index) + 1, index + 1));

export function importsOf(from: string, text: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  const add = (specifier: string, typeOnly: boolean, kind: ImportEdge['kind'], index: number): void => {
    if (inComment(text, index)) return;
    edges.push({ from, specifier, target: resolveImport(from, specifier), typeOnly, kind, line: lineOf(text, index) });
  };
  for (const m of text.matchAll(STATIC)) add(m[2], m[1] !== undefined, 'import', m.index + m[0].search(/\S/));
  for (const m of text.matchAll(DYNAMIC)) add(m[1], false, 'import', m.index);
  for (const m of text.matchAll(WORKER_URL)) add(m[1], false, 'url', m.index);
  return edges.sort((a, b) => a.line - b.line);
}

/** Every import edge of every source file under src/. */
export function importGraph(): ImportEdge[] {
  return sourceFiles().flatMap((file) => importsOf(file, readFileSync(join(REPO_ROOT, file), 'utf8')));
}

/** Files loaded with `start`: reachable through value imports (type-only edges load nothing, worker URLs are other bundles). */
export function valueClosure(edges: readonly ImportEdge[], start: readonly string[]): Set<string> {
  const seen = new Set(start);
  const queue = [...start];
  while (queue.length > 0) {
    const file = queue.pop()!;
    for (const edge of edges) {
      if (edge.from === file && !edge.typeOnly && edge.kind === 'import' && edge.target && !seen.has(edge.target)) {
        seen.add(edge.target);
        queue.push(edge.target);
      }
    }
  }
  return seen;
}

export const describeEdge = (edge: ImportEdge): string => `${edge.from}:${edge.line} imports ${edge.typeOnly ? 'type-only ' : ''}'${edge.specifier}'`;
