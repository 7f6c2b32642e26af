import { describe, expect, it } from 'vitest';
import { modelFoldersIn, selectPrecache, type BuildFile } from '../../../src/sw/precache-select.ts';

/** A build shaped like the lab's: the app page, a check page sharing a chunk, a worker, models, ORT. */
const BUILD: BuildFile[] = [
  { path: 'index.html', references: [] },
  { path: 'model-check.html', references: [] },
  { path: 'assets/main-1.js', entryOfPage: 'index.html', references: ['assets/world-2.js', 'assets/main-3.css', 'assets/lab-worker-4.js'] },
  { path: 'assets/modelCheck-5.js', entryOfPage: 'model-check.html', references: ['assets/world-2.js', 'assets/runtime-6.js'] },
  { path: 'assets/world-2.js', references: [] },
  { path: 'assets/runtime-6.js', references: ['assets/browser-7.js'] },
  { path: 'assets/browser-7.js', references: [] },
  { path: 'assets/main-3.css', references: [] },
  { path: 'assets/lab-worker-4.js', references: [] },
  { path: 'assets/lab-worker-chunk-8.js', references: [] },
  { path: 'assets/main-1.js.map', references: [] },
  { path: 'models/pebench-tiny/config.json', references: [] },
  { path: 'models/pebench-tiny/onnx/decoder.onnx', references: [] },
  { path: 'models/pebench-tiny-goal-events/config.json', references: [] },
  { path: 'ort/jsep.wasm', references: [] },
  { path: 'ort/asyncify.wasm', references: [] },
  { path: 'sw.js', references: [] },
  { path: '_headers', references: [] },
];
const RULES = { pages: ['index.html'], models: ['pebench-tiny'], firstUse: ['ort/asyncify.wasm'] };

describe('selectPrecache', () => {
  it('keeps the app page, what it uses, unreferenced worker chunks, the default model and the lab\'s WASM', () => {
    expect(selectPrecache(BUILD, RULES).precache).toEqual([
      'assets/lab-worker-4.js',
      'assets/lab-worker-chunk-8.js',
      'assets/main-1.js',
      'assets/main-3.css',
      'assets/world-2.js',
      'index.html',
      'models/pebench-tiny/config.json',
      'models/pebench-tiny/onnx/decoder.onnx',
      'ort/jsep.wasm',
    ]);
  });

  it('leaves out other pages and code only they use, other models, first-use files, maps and its own outputs, saying why', () => {
    expect(Object.fromEntries(selectPrecache(BUILD, RULES).leftOut.map(({ path, reason }) => [path, reason]))).toEqual({
      '_headers': 'never cached',
      'assets/browser-7.js': 'only used by pages outside the app',
      'assets/main-1.js.map': 'never cached',
      'assets/modelCheck-5.js': 'only used by pages outside the app',
      'assets/runtime-6.js': 'only used by pages outside the app',
      'model-check.html': 'not an app page',
      'models/pebench-tiny-goal-events/config.json': 'model pebench-tiny-goal-events is cached on first use',
      'ort/asyncify.wasm': 'cached on first use',
      'sw.js': 'never cached',
    });
  });

  it('keeps a chunk the app page reaches through a dynamic import even when a check page uses it too', () => {
    const build = BUILD.map((file) => (file.path === 'assets/main-1.js' ? { ...file, references: [...file.references, 'assets/runtime-6.js'] } : file));
    const { precache } = selectPrecache(build, RULES);
    expect(precache).toContain('assets/runtime-6.js');
    expect(precache).toContain('assets/browser-7.js');
    expect(precache).not.toContain('assets/modelCheck-5.js');
  });

  it('refuses a page that is not in the build', () => {
    expect(() => selectPrecache(BUILD, { ...RULES, pages: ['lab.html'] })).toThrow('the app page lab.html is not in the build');
  });
});

describe('modelFoldersIn', () => {
  it('names the model folders of a build', () => {
    expect(modelFoldersIn(BUILD)).toEqual(['pebench-tiny', 'pebench-tiny-goal-events']);
  });
});
