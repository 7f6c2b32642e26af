// Browser parity of the shipped model: model-check.html loads models/pebench-tiny from the app's
// origin with transformers.js (fp32, WASM, remote loading off) and with the lab's runtime (Answerer
// on onnxruntime-web WASM); on 24 fresh renders every greedy answer must be the same token ids, the
// lab must name the right person for most identity questions (a trained model, not a blank one), and
// no request may leave the app's origin. Also checks how the app serves model files.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { IDENTITY_QUESTION, modelCheckCases } from '../../src/runtime/check/model-cases.ts';
import type { ModelCheckReport } from '../../src/runtime/check/model-check.ts';
import { tokenizerFromJson } from '../../src/model/tokenizer-json.ts';
import { createWorld } from '../../src/world/index.ts';
import { watchForeignRequests } from './helpers.ts';

const MODEL = 'pebench-tiny';
const COUNT = 24;
const modelDir = fileURLToPath(new URL(`../../models/${MODEL}/`, import.meta.url));
const readJson = (file: string) => JSON.parse(readFileSync(modelDir + file, 'utf8'));

test.describe(`models/${MODEL} in Chromium`, () => {
  test('transformers.js and the lab runtime give the same greedy tokens on fresh renders, offline', async ({ page, baseURL }) => {
    test.setTimeout(600_000);
    const world = createWorld();
    const eos = tokenizerFromJson(readJson('tokenizer.json'), `models/${MODEL}/tokenizer.json`).ids.eos;
    const foreignRequests = watchForeignRequests(page, new URL(baseURL!).origin);
    page.on('pageerror', (error) => console.log(`page error: ${error.message}`));

    await page.goto(`/model-check.html?model=${MODEL}&count=${COUNT}`);
    const result = page.locator('#result');
    await expect(result).toHaveAttribute('data-status', /done|error/, { timeout: 580_000 });
    const text = (await result.textContent()) ?? '';
    expect(await result.getAttribute('data-status'), text).toBe('done');
    const report = JSON.parse(text) as ModelCheckReport;

    const { timings, threads } = report;
    console.log(
      `${MODEL} in Chromium (WASM, threads lab ${threads.lab} / transformers.js ${threads.transformers}), ${report.count} questions: ` +
      `load lab ${timings.labLoad}s, transformers.js ${timings.hfLoad}s; answer lab ${timings.labAnswer}s (batched), ` +
      `transformers.js ${timings.hfAnswer}s (one by one); total ${report.seconds}s`,
    );
    expect(report.modelHash).toBe(readJson('manifest.json').modelHash);
    expect(report.backend).toBe('wasm');
    expect(report.crossOriginIsolated).toBe(true);
    expect(report.count).toBeGreaterThanOrEqual(20);
    expect(report.answers).toHaveLength(report.count);

    const cases = modelCheckCases(world, COUNT);
    let identityQuestions = 0;
    let named = 0;
    for (const [i, answer] of report.answers.entries()) {
      expect(answer.key).toEqual(cases[i].key);
      expect(answer.question).toBe(cases[i].question);
      const at = answer.hf.tokens.indexOf(eos);
      const hfCut = at >= 0 ? answer.hf.tokens.slice(0, at + 1) : answer.hf.tokens;
      expect(answer.lab.tokens.length, `${answer.question} on ${JSON.stringify(answer.key)}`).toBeGreaterThan(0);
      expect(answer.lab.tokens, `${answer.question} on ${JSON.stringify(answer.key)}: lab "${answer.lab.text}" vs transformers.js "${answer.hf.text}"`).toEqual(hfCut);
      if (answer.question === IDENTITY_QUESTION) {
        identityQuestions++;
        if (answer.lab.text.includes(world.persons[answer.key.personId].fullName.toLowerCase())) named++;
      }
    }
    expect(report.equal).toBe(true);
    expect(report.mismatches).toEqual([]);
    console.log(`${MODEL}: lab named the right person in ${named} of ${identityQuestions} identity answers`);
    expect(named).toBeGreaterThan(identityQuestions / 2);
    expect(foreignRequests()).toEqual([]);
  });

  test('the app serves model files with their types, isolation headers and real 404s', async ({ request }) => {
    const config = await request.get(`/models/${MODEL}/config.json`);
    expect(config.status()).toBe(200);
    expect(config.headers()['content-type']).toContain('application/json');
    expect(config.headers()['cross-origin-resource-policy']).toBe('same-origin');
    expect(config.headers()['cross-origin-embedder-policy']).toBe('require-corp');
    expect(await config.json()).toEqual(readJson('config.json'));

    const decoder = await request.head(`/models/${MODEL}/onnx/decoder_model_merged.onnx`);
    expect(decoder.status()).toBe(200);
    expect(decoder.headers()['content-type']).toBe('application/octet-stream');
    expect(Number(decoder.headers()['content-length'])).toBe(readFileSync(`${modelDir}onnx/decoder_model_merged.onnx`).byteLength);

    // Not the SPA's index.html: transformers.js probes optional files and must see them missing.
    expect((await request.get(`/models/${MODEL}/no-such-file.json`)).status()).toBe(404);
    expect((await request.get('/models/..%2Fpackage.json')).status()).toBe(400);
  });
});
