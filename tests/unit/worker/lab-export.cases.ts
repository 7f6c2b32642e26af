// The lab's exportModel (run from lab-engine.test.ts on its micro-world model): the zip unpacks to
// a model folder that loadModel verifies, whose manifest says which unlearned state it is, and whose
// greedy answers are the run's own (the probe's current model) on a few questions.
import { expect, it } from 'vitest';
import { loadModel } from '../../../src/model/export.ts';
import { MemoryFiles, bytesText } from '../../../src/model/files.ts';
import { openInferenceSessions, openRuntime } from '../../../src/runtime/index.ts';
import { unzipFiles } from '../../../src/storage/zip.ts';
import { decodeSafetensors } from '../../../src/model/safetensors.ts';
import { answerProbe, probePixels } from '../../../src/worker/lab-probe.ts';
import { transferables } from '../../../src/worker/lab-protocol.ts';
import { modelWorld } from '../../../src/worker/lab-setup.ts';
import { PERSON_REQUEST, type LabTestContext } from './lab-context.ts';

export function exportCases(ctx: LabTestContext): void {
  it('exports the current weights as a zipped model folder that loads back and answers like the run', async () => {
    const { engine } = ctx;
    const configured = await engine.configure({ request: PERSON_REQUEST, method: 'npo', settings: { steps: 4, lr: 0.01 }, bgd: false, seed: 3 });
    await engine.run();
    const t0 = performance.now();
    const exported = await engine.exportModel();
    const ms = performance.now() - t0;
    expect(exported.fileName).toBe('pebench-tiny-npo-step4.zip');
    expect(transferables(exported)).toEqual([exported.zip.buffer]); // the worker transfers the zip, no copy

    const entries = unzipFiles(exported.zip);
    expect(entries.size).toBe(exported.files);
    const folder = new MemoryFiles('unzipped');
    for (const [path, data] of entries) {
      expect(path.startsWith('pebench-tiny-npo-step4/')).toBe(true);
      folder.files.set(path.slice('pebench-tiny-npo-step4/'.length), data);
    }
    expect(bytesText(folder.files.get('README.md')!)).toMatch(/NPO, step 4 of 4/);
    const model = await loadModel(folder); // verifies every file against manifest.json
    expect(model.manifest.meta).toMatchObject({
      kind: 'unlearned', from: ctx.loaded.modelHash, world: ctx.loaded.world.config,
      unlearning: { method: 'npo', step: 4, totalSteps: 4, request: PERSON_REQUEST, seed: 3, settings: configured.config.settings },
    });
    expect(model.manifest.modelHash).not.toBe(ctx.loaded.modelHash);
    const world = modelWorld(model, 'the export'); // the lab can load it again

    const [target] = configured.targets;
    const probes = [
      { question: 'Who is this person?', image: { personId: target.id, eventId: 0, variant: 0 } },
      { question: 'What event is taking place in this image?', image: { personId: target.id, eventId: 1, variant: 0 } },
      { question: 'Who is the person in this image?', image: { personId: (target.id + 1) % 20, eventId: 2, variant: 1 } },
    ];
    const runtime = await openRuntime({ backend: 'cpu', threads: 1 });
    const sessions = await openInferenceSessions(runtime, model.cfg, model.files, 'exported');
    try {
      for (const probe of probes) {
        const fromRun = await engine.ask(probe);
        const fromFile = await answerProbe(sessions, model.tokenizer, probe.question, probePixels(probe.image, world, model.cfg));
        // The probe feeds the run's adapters to one decoder; the file has them merged: same tokens, float-close probabilities.
        const { tokens, ...rest } = fromRun.current;
        expect({ ...fromFile.answer, tokens: fromFile.answer.tokens.map((t) => t.token) }).toEqual({ ...rest, tokens: tokens.map((t) => t.token) });
        fromFile.answer.tokens.forEach((t, i) => expect(t.prob).toBeCloseTo(tokens[i].prob, 5));
      }
    } finally {
      await sessions.dispose();
      await runtime.dispose();
    }
    console.log(`exportModel: ${(exported.zip.byteLength / 1e6).toFixed(2)} MB zip of ${exported.files} files in ${ms.toFixed(0)} ms (micro model)`);
  }, 60_000);

  it('puts the same weights in pytorch/ as a PyTorch folder when asked, outside the manifest', async () => {
    const { engine } = ctx;
    await engine.configure({ request: PERSON_REQUEST, method: 'npo', settings: { steps: 2, lr: 0.01 }, bgd: false, seed: 4 });
    await engine.run();
    const plain = unzipFiles((await engine.exportModel()).zip);
    const exported = await engine.exportModel({ pytorch: true });
    const entries = unzipFiles(exported.zip);
    const top = exported.fileName.replace(/\.zip$/, '');
    const torchPaths = [...entries.keys()].filter((p) => p.startsWith(`${top}/pytorch/`)).map((p) => p.slice(top.length + 9)).sort();
    expect(torchPaths).toEqual(['LICENSE', 'README.md', 'chat_template.jinja', 'config.json', 'configuration_pe_tiny.py', 'generation_config.json',
      'model.safetensors', 'modeling_pe_tiny.py', 'preprocessor_config.json', 'processor_config.json', 'special_tokens_map.json',
      'tokenizer.json', 'tokenizer_config.json']);
    expect(entries.size).toBe(plain.size + torchPaths.length);
    const folder = new MemoryFiles('unzipped');
    for (const [path, data] of entries) if (!path.includes('/pytorch/')) folder.files.set(path.slice(top.length + 1), data);
    const model = await loadModel(folder);
    const torch = decodeSafetensors(entries.get(`${top}/pytorch/model.safetensors`)!).tensors;
    const { vocabSize, decoder } = model.cfg;
    // lm_head is (D, V) in the lab, (V, D) in torch.
    const lmHead = torch.get('language_model.lm_head.weight')!;
    expect(lmHead.shape).toEqual([vocabSize, decoder.width]);
    expect(lmHead.data[5 * decoder.width + 7]).toBe(model.params['decoder.lm_head'][7 * vocabSize + 5]);
    expect(bytesText(entries.get(`${top}/README.md`)!)).toMatch(/pytorch\/` holds the same weights/);
  }, 60_000);
}
