// The house read bottom-up (docs/conventions.md), checked on src/'s import graph: no value import
// from storage/ up to worker/, nothing from ui/ into runtime/, no Svelte, DOM-only, ORT or Node-only
// module in the pure folders (exceptions listed with why), and the Vite plugins of runtime/ and sw/
// importing in one direction only. Not here: reading the imports (import-graph.ts).
import { builtinModules } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { describeEdge, importGraph, importsOf, REPO_ROOT, sourceFiles, valueClosure, type ImportEdge } from './import-graph.ts';

const edges = importGraph();
const under = (path: string | null, folder: string): boolean => path !== null && path.startsWith(`${folder}/`);

describe('the import reader', () => {
  it('finds every import TypeScript\'s preprocessor finds, in every file under src/', () => {
    const missed: string[] = [];
    for (const file of sourceFiles()) {
      const text = readFileSync(join(REPO_ROOT, file), 'utf8');
      const code = file.endsWith('.svelte') ? [...text.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n') : text;
      const found = new Set(importsOf(file, text).map((edge) => edge.specifier));
      for (const { fileName } of ts.preProcessFile(code, true, true).importedFiles) {
        if (!found.has(fileName)) missed.push(`${file}: '${fileName}'`);
      }
    }
    expect(edges.length).toBeGreaterThan(500);
    expect(missed).toEqual([]);
  });

  it('tells type-only imports from value imports and resolves relative paths', () => {
    const text = [
      "import type { A } from '../worker/x.ts';",
      'import {', '  b, // why', '  type C,', "} from './y.ts';",
      "export type { D } from './z.ts';",
      "// import e from 'not-an-import';",
      "const f = await import('./w.ts');",
      'export interface G {', "import type { H } from '../runtime/v.ts';",
    ].join('\n');
    expect(importsOf('src/storage/s.ts', text).map(({ specifier, target, typeOnly, line }) => ({ specifier, target, typeOnly, line }))).toEqual([
      { specifier: '../worker/x.ts', target: 'src/worker/x.ts', typeOnly: true, line: 1 },
      { specifier: './y.ts', target: 'src/storage/y.ts', typeOnly: false, line: 2 },
      { specifier: './z.ts', target: 'src/storage/z.ts', typeOnly: true, line: 6 },
      { specifier: './w.ts', target: 'src/storage/w.ts', typeOnly: false, line: 8 },
      { specifier: '../runtime/v.ts', target: 'src/runtime/v.ts', typeOnly: true, line: 10 },
    ]);
  });
});

describe('imports point down the house', () => {
  it('storage/ loads nothing from worker/: the checkpoint contract lives in storage/ (type-only imports allowed)', () => {
    const up = edges.filter((e) => under(e.from, 'src/storage') && under(e.target, 'src/worker') && !e.typeOnly);
    expect(up.map(describeEdge)).toEqual([]);
  });

  it('ui/ imports nothing from runtime/: components reach models through the worker', () => {
    expect(edges.filter((e) => under(e.from, 'src/ui') && under(e.target, 'src/runtime')).map(describeEdge)).toEqual([]);
  });

  it('the page loads no runtime/ module through another folder either (the worker is a bundle of its own)', () => {
    const page = valueClosure(edges, [...sourceFiles('src/ui'), 'src/main.ts']);
    expect([...page].filter((file) => under(file, 'src/runtime'))).toEqual([]);
  });

  it('the page knows the methods without the engine: it loads the method cards and the run config, and no engine/ module', () => {
    const page = valueClosure(edges, [...sourceFiles('src/ui'), 'src/main.ts']);
    expect(page.has('src/unlearning/cards.ts')).toBe(true);
    expect(page.has('src/unlearning/run-config.ts')).toBe(true);
    expect([...page].filter((file) => under(file, 'src/engine') || file === 'src/unlearning/registry.ts')).toEqual([]);
  });
});

/** The folders that run unchanged in Node and in the browser. */
const PURE_FOLDERS = ['src/core', 'src/world', 'src/engine', 'src/unlearning', 'src/eval', 'src/model'];

/** Pure-folder files that are platform-specific by design, with why. */
const PLATFORM_FILES: Record<string, string> = {
  'src/model/node-files.ts': 'FileSource/FileSink over a folder on disk for the CLI and tests (node:fs); its header says never to import it from browser code, and model/index.ts does not re-export it',
};

const NODE_BUILTINS = new Set(builtinModules);
/** What a pure folder may not import, by kind: package names and the src/ files that stand for them. */
function platformOf(edge: ImportEdge): string | null {
  const { specifier, target } = edge;
  if (/^svelte(\/|$)/.test(specifier) || /\.svelte(\.ts)?$/.test(target ?? '')) return 'Svelte';
  if (/^onnxruntime-/.test(specifier) || specifier.startsWith('@huggingface/transformers')) return 'ORT';
  if (target === 'src/runtime/ort-web.ts' || target === 'src/runtime/ort-node.ts') return 'ORT';
  if (specifier === 'idb' || under(target, 'src/ui') || under(target, 'src/sw') || target === 'src/runtime/browser.ts') return 'DOM-only';
  if (specifier.startsWith('node:') || NODE_BUILTINS.has(specifier) || target === 'src/runtime/node.ts' || under(target, 'src/cli')) return 'Node-only';
  if (target && PLATFORM_FILES[target]) return 'Node-only';
  return null;
}

describe('the pure folders stay pure', () => {
  it(`${PURE_FOLDERS.join(', ')} import no Svelte, DOM-only, ORT or Node-only module (exceptions listed)`, () => {
    const found = edges
      .filter((e) => PURE_FOLDERS.some((folder) => under(e.from, folder)) && !(e.from in PLATFORM_FILES))
      .flatMap((e) => {
        const kind = platformOf(e);
        return kind ? [`${describeEdge(e)} (${kind})`] : [];
      });
    expect(found).toEqual([]);
  });

  it('each listed exception exists and is still platform-specific (else drop it from the list)', () => {
    for (const file of Object.keys(PLATFORM_FILES)) {
      expect(sourceFiles().includes(file), file).toBe(true);
      expect(edges.some((e) => e.from === file && platformOf(e) !== null), file).toBe(true);
    }
  });
});

describe('the Vite plugins', () => {
  const RUNTIME_PLUGINS = sourceFiles('src/runtime').filter((file) => /\/vite-plugin-[\w-]+\.ts$/.test(file));
  const SW_PLUGIN = 'src/sw/vite-plugin.ts';

  it('runtime/\'s plugins load nothing from sw/ (sw/ sits above runtime/ and imports them)', () => {
    expect(RUNTIME_PLUGINS.length).toBeGreaterThanOrEqual(3);
    expect(valueClosure(edges, [SW_PLUGIN]).has('src/runtime/vite-plugin-ort.ts')).toBe(true);
    const reached = [...valueClosure(edges, RUNTIME_PLUGINS)].filter((file) => under(file, 'src/sw'));
    expect(reached).toEqual([]);
  });

  it('no import cycle runs through any of them', () => {
    const cycles: string[] = [];
    for (const plugin of [...RUNTIME_PLUGINS, SW_PLUGIN]) {
      for (const edge of edges.filter((e) => e.from === plugin && e.target && !e.typeOnly)) {
        if (valueClosure(edges, [edge.target!]).has(plugin)) cycles.push(describeEdge(edge));
      }
    }
    expect(cycles).toEqual([]);
  });
});
