// How the lab's worker starts (run from lab-engine.test.ts on its micro-world model): a backend
// started before the first load request is taken over by that load (opened once), one started for
// another backend is closed; files the page downloaded ahead are used instead of reading the folder
// again, and still checked against the manifest (a damaged one is refused, naming the file).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadModel } from '../../../src/model/export.ts';
import { PrefilledFiles, type FileSource } from '../../../src/model/files.ts';
import { FolderFiles } from '../../../src/model/node-files.ts';
import { nodeBinding } from '../../../src/runtime/ort-node.ts';
import { Runtime } from '../../../src/runtime/runtime.ts';
import { LabEngine } from '../../../src/worker/lab-engine.ts';
import { backendOfWorkerName, labWorkerName, type LabBackend } from '../../../src/worker/lab-protocol.ts';
import type { LabTestContext } from './lab-context.ts';

/** An engine whose runtimes are Node CPU runtimes under the asked name, recording opens, disposals and folder reads. */
function countingEngine() {
  const log = { opened: [] as LabBackend[], disposed: [] as LabBackend[], folderReads: [] as string[] };
  const engine = new LabEngine({
    loadModel: (url, ahead) => {
      const folder = new FolderFiles(url);
      const recorded: FileSource = { label: folder.label, read: (path) => (log.folderReads.push(path), folder.read(path)) };
      return loadModel(new PrefilledFiles(ahead ?? {}, recorded));
    },
    openRuntime: async (backend) => {
      log.opened.push(backend);
      const runtime = new Runtime({ ...nodeBinding({ device: 'cpu', threads: 1 }), backend });
      const dispose = runtime.dispose.bind(runtime);
      runtime.dispose = () => (log.disposed.push(backend), dispose());
      return runtime;
    },
  });
  return { engine, log };
}

/** Every file of the model folder as the page would hand it over (ArrayBuffers by path). */
function folderBytes(model: string): Record<string, ArrayBuffer> {
  const manifest = JSON.parse(readFileSync(join(model, 'manifest.json'), 'utf8')) as { files: { path: string }[] };
  const out: Record<string, ArrayBuffer> = {};
  for (const path of ['manifest.json', ...manifest.files.map((f) => f.path)]) out[path] = new Uint8Array(readFileSync(join(model, path))).buffer;
  return out;
}

export function startCases(ctx: LabTestContext): void {
  it('names the worker after its backend and reads the name back (anything else: no early start)', () => {
    for (const backend of ['webgpu', 'wasm', 'cpu'] as const) expect(backendOfWorkerName(labWorkerName(backend))).toBe(backend);
    for (const name of [undefined, '', 'pebench-lab:', 'pebench-lab:gpu', 'other:wasm']) expect(backendOfWorkerName(name)).toBeNull();
  });

  it('a backend started before load is the one the load uses; another one is closed', async () => {
    const { engine, log } = countingEngine();
    try {
      engine.startBackend('cpu');
      const loaded = await engine.load({ modelUrl: ctx.model, backend: 'cpu' });
      expect(loaded).toMatchObject({ backend: 'cpu', modelHash: ctx.loaded.modelHash });
      expect(log.opened).toEqual(['cpu']); // the load did not open a second runtime

      const other = countingEngine();
      other.engine.startBackend('wasm');
      await other.engine.load({ modelUrl: ctx.model, backend: 'cpu' });
      await expect.poll(() => other.log.disposed).toContain('wasm');
      expect(other.log.opened).toEqual(['wasm', 'cpu']);
      await other.engine.dispose();
    } finally {
      await engine.dispose();
    }
  }, 60_000);

  it('uses the files downloaded ahead, checks them against the manifest, and refuses a damaged one', async () => {
    const { engine, log } = countingEngine();
    try {
      const loaded = await engine.load({ modelUrl: ctx.model, backend: 'cpu', files: folderBytes(ctx.model) });
      expect(loaded.modelHash).toBe(ctx.loaded.modelHash);
      expect(log.folderReads).toEqual([]);

      const damaged = folderBytes(ctx.model);
      new Uint8Array(damaged['onnx/decoder_model_merged.onnx'])[1000] ^= 0xff;
      await expect(engine.load({ modelUrl: ctx.model, backend: 'cpu', files: damaged }))
        .rejects.toMatchObject({ kind: 'model', message: expect.stringMatching(/decoder_model_merged\.onnx failed its sha256 check/) });
      await expect(engine.load({ modelUrl: ctx.model, backend: 'cpu', files: { 'config.json': 'not bytes' } as never }))
        .rejects.toMatchObject({ kind: 'bad-input', message: expect.stringMatching(/files must map model file paths to ArrayBuffers/) });
    } finally {
      await engine.dispose();
    }
  }, 60_000);

  it('prepares a run lazily: a step right after configure goes before the step-0 metrics asked for first', async () => {
    const { engine } = ctx;
    // A request no other case uses: nothing of it is measured or encoded yet.
    const request = { target: 'person', personRatio: 0.05, forgetSeed: 11 } as const;
    const configured = await engine.configure({ request, method: 'npo', settings: { steps: 4 }, bgd: false, seed: 0 });
    expect(configured.metrics).toBeUndefined();
    const order: string[] = [];
    const atZero = engine.metrics(undefined, (e) => {
      if (e.type === 'progress' && e.progress.done > 0) order.push('step-0 metrics chunk');
    });
    const stepped = await engine.step(undefined, (e) => e.type === 'step' && order.push(`step ${e.step.step}`));
    expect(stepped.step).toBe(1);
    expect((await atZero).step).toBe(0);
    expect(order[0]).toBe('step 1');
    expect(order).toContain('step-0 metrics chunk');
    // The current weights' metrics are now step 1's.
    expect((await engine.metrics()).step).toBe(1);
    // `warm` prepares the rest (reference values, images) in pieces with progress; then nothing is left,
    // not even after a reset (the values are kept per model, by row).
    const progress: number[] = [];
    const warmed = await engine.warm(undefined, (e) => e.type === 'progress' && progress.push(e.progress.done));
    expect(warmed.pieces).toBeGreaterThan(0);
    expect(progress).toEqual([...Array(warmed.pieces).keys()]);
    expect((await engine.warm()).pieces).toBe(0);
    await engine.reset();
    expect((await engine.warm()).pieces).toBe(0);
    // A run replaced while warming ends the warm request as cancelled.
    await engine.configure({ request: { target: 'person', personRatio: 0.05, forgetSeed: 12 }, method: 'npo', settings: { steps: 4 }, bgd: false, seed: 0 });
    const warming = engine.warm();
    await engine.configure({ request, method: 'npo', settings: { steps: 4 }, bgd: false, seed: 0 });
    await expect(warming).rejects.toMatchObject({ kind: 'cancelled' });
  }, 60_000);
}
