// `npm run bench:lab`: the lab's figures in Debian's Chromium on this machine (issues #6 and "The lab,
// fluent"), from the built app (`npm run build` first) served by `vite preview` with its COOP/COEP
// headers: cold start to `ready` and to the first step possible, setting change to ready to step, probe
// answers and the probe against transformers.js, steps, the default run and its long tasks; medians.
// BACKEND=webgpu, COLD_ONLY=1 (stop after the cold starts), REPEATS=n (cap every repeat count: quick checks).
import os from 'node:os';
import type { Page } from '@playwright/test';
import { median } from '../src/eval/stats.ts';
import { recordLongTasks } from '../tests/e2e/helpers.ts';
import { firstStep, plainColdStart, playwrightColdStart, readyMs, watchStepButton, type ColdStart, type PlaywrightColdStart } from './bench-lab-cold.ts';
import { preparingNow, settingChanges, timeSettingChange, waitIdle, type SettingChange } from './bench-lab-settings.ts';
import { probeVsTransformers } from './bench-lab-vs-hf.ts';
import { chromiumPath, labChromiumArgs, launchChromium, serveDist } from './serve-dist.ts';

const cap = (n: number) => Math.max(1, Math.min(n, Number(process.env.REPEATS) || n));
const COLD_RUNS = cap(3);
const PLAIN_COLD_RUNS = cap(7);
const PROBES = cap(7);
const STEPS = cap(12);
/** Fresh renders the probe-vs-transformers.js timing asks its two questions about. */
const TIMING_IMAGES = cap(7);
/** How long the plain Chromium's lab tab loads with nothing attached before the bench looks. */
const PLAIN_WAIT_S = Number(process.env.PLAIN_WAIT_S) || 12;
const backend = process.env.BACKEND === 'webgpu' ? 'webgpu' : 'wasm';
const { origin, close } = await serveDist();
const args = labChromiumArgs(backend);
const launch = () => launchChromium(backend);
const hash = `#page=lab&target=persons&pr=0.05&fs=0&method=npo&seed=0&backend=${backend}`;

async function waitText(page: Page, testid: string, text: string, timeout = 600_000): Promise<void> {
  await page.waitForFunction(([id, want]) => document.querySelector(`[data-testid="${id}"]`)?.textContent?.trim() === want, [testid, text], { timeout });
}

const seconds = (xs: number[]) => xs.map((c) => (c / 1000).toFixed(2)).join(', ');
const sec = (ms: number) => (ms / 1000).toFixed(2);

function printCold(plain: ColdStart[], cold: PlaywrightColdStart[]): void {
  const ready = plain.map((c) => c.readyMs);
  const step = plain.map((c) => c.stepReadyMs);
  console.log(`cold start to ready (plain Chromium, fresh profile): median ${sec(median(ready))} s over ${plain.length} (${seconds(ready)})`);
  console.log(`page open to first step possible (plain Chromium, fresh profile; data-step-ready-ms): median ${sec(median(step))} s over ${plain.length} (${seconds(step)}) (target <= 3 s)`);
  const pwReady = cold.map((c) => c.readyMs);
  const pwStep = cold.map((c) => c.stepReadyMs);
  const observed = cold.map((c) => c.stepEnabledInPageMs);
  const gap = Math.max(...cold.map((c) => Math.abs(c.stepReadyMs - c.stepEnabledInPageMs)));
  const missing = cold.some((c) => c.attributeMissing) ? ' [the page set no data-step-ready-ms: these are the observer\'s figures]' : '';
  console.log(`cold start to ready under Playwright (DevTools attached): median ${sec(median(pwReady))} s over ${cold.length} (${seconds(pwReady)})`);
  console.log(`page open to first step possible under Playwright: median ${sec(median(pwStep))} s (${seconds(pwStep)}); step button first enabled (in-page MutationObserver) median ${sec(median(observed))} s (${seconds(observed)}), largest difference ${gap.toFixed(0)} ms (expect <= ~50)${missing}`);
  const done = cold.map((c) => c.firstStepDoneMs);
  console.log(`page open to first step DONE, the step clicked the moment it was possible (under Playwright): median ${sec(median(done))} s (${seconds(done)})`);
}

try {
  // Cold starts in a plain browser (nothing attached while it loads), each with a fresh profile.
  const plainCold: ColdStart[] = [];
  for (let i = 0; i < PLAIN_COLD_RUNS; i++) plainCold.push(await plainColdStart(chromiumPath, args, `${origin}/${hash}`, PLAIN_WAIT_S * 1000));
  // Cold starts under Playwright: a new browser (empty HTTP cache, no service worker) each time.
  const cold: PlaywrightColdStart[] = [];
  for (let i = 0; i < COLD_RUNS; i++) cold.push(await playwrightColdStart(launch, `${origin}/${hash}`));

  if (process.env.COLD_ONLY) {
    console.log(`machine: ${os.cpus()[0]?.model} x${os.cpus().length}`);
    printCold(plainCold, cold);
    process.exit(0);
  }

  // A repeat visit: the same browser profile (HTTP cache, compiled-WASM cache, the offline copy) in a new tab.
  const repeat: number[] = [];
  {
    const browser = await launch();
    const context = await browser.newContext();
    for (let i = 0; i < COLD_RUNS + 1; i++) {
      const tab = await context.newPage();
      await tab.goto(`${origin}/${hash}`);
      const ms = await readyMs(tab);
      if (i > 0) repeat.push(ms);
      // The first visit stores the offline copy (33 MB) after the model loaded: let it finish first.
      if (i === 0) await tab.waitForFunction(() => document.documentElement.dataset.offlineStatus === 'ready', undefined, { timeout: 120_000 });
      await tab.close();
    }
    await browser.close();
  }

  const browser = await launch();
  const page = await browser.newPage();
  const longTaskLog = await recordLongTasks(page);
  await watchStepButton(page);
  await page.goto(`${origin}/${hash}`);
  await readyMs(page);

  // A setting changed as soon as the first step is possible (step 0's metrics still being measured),
  // then, each with the lab idle, the setting changes a user makes; the last one is back to the default.
  await firstStep(page);
  const preparingAtChange = await preparingNow(page);
  const whilePreparing = await timeSettingChange(page, hash.replace(/seed=0/, 'seed=2'));
  const changes: { label: string; change: SettingChange; idle: boolean }[] = [];
  for (const { label, hash: next } of settingChanges(hash)) {
    const idle = await waitIdle(page);
    changes.push({ label, change: await timeSettingChange(page, next), idle });
  }
  await page.getByTestId('model-status').filter({ hasNotText: 'preparing' }).waitFor({ timeout: 300_000 });
  await waitIdle(page);
  const userAgent = await page.evaluate(() => navigator.userAgent);
  const badge = await page.getByTestId('backend-badge').textContent();

  // Probe answers, each on a new image (no cached Finetune answer): at step 0 only the Finetune model
  // answers (the current weights are the same); after steps both models do.
  // The page counts the user's answered questions in data-asked (data-count also counts the probe's
  // own re-asks after each step); wait for one more than before the click.
  let asked = 0;
  const answeredCount = () => page.evaluate(() => {
    const timing = document.querySelector<HTMLElement>('[data-testid="probe-timing"]');
    return Number(timing?.dataset.asked ?? timing?.dataset.count ?? 0);
  });
  const probeOnce = async (personId: number): Promise<number> => {
    const before = await answeredCount();
    await page.getByTestId('probe-person').selectOption(String(personId));
    await page.getByTestId('probe-question').fill(asked++ % 2 ? 'What event is taking place in this image?' : 'Who is this person?');
    await page.getByTestId('probe-ask').click();
    await page.waitForFunction((n) => {
      const timing = document.querySelector<HTMLElement>('[data-testid="probe-timing"]');
      return Number(timing?.dataset.asked ?? timing?.dataset.count ?? 0) > n;
    }, before, { timeout: 120_000 });
    return Number(await page.getByTestId('probe-timing').getAttribute('data-ms'));
  };
  const probeAtZero: number[] = [];
  for (let i = 0; i < PROBES; i++) probeAtZero.push(await probeOnce(20 + i));

  // Single steps: worker-side step time and the click-to-counter round trip.
  const stepMs: number[] = [];
  const roundTrip: number[] = [];
  for (let i = 1; i <= STEPS; i++) {
    const t0 = Date.now();
    await page.getByTestId('step-button').click();
    await waitText(page, 'step-counter', String(i));
    roundTrip.push(Date.now() - t0);
    stepMs.push(Number(await page.getByTestId('step-counter').getAttribute('data-step-ms')));
  }
  // A probe asked as soon as a step's counter shows (it also waits for that step's live metrics in
  // the worker), then probes with no step in between.
  const probeAfterStep: number[] = [];
  for (let i = 1; i <= PROBES; i++) {
    await page.getByTestId('step-button').click();
    await waitText(page, 'step-counter', String(STEPS + i));
    probeAfterStep.push(await probeOnce(40 + i));
  }
  const probeMs: number[] = [];
  for (let i = 0; i < PROBES; i++) probeMs.push(await probeOnce(60 + i));

  // The default run from Finetune plus its evaluation, with the longtask observer on.
  await page.getByTestId('reset-button').click();
  await waitText(page, 'step-counter', '0');
  const totalSteps = Number((await page.locator('.counter').textContent())!.match(/\/\s*(\d+)/)![1]);
  await longTaskLog.start();
  const t0 = Date.now();
  await page.getByTestId('run-button').click();
  await waitText(page, 'step-counter', String(totalSteps));
  const runOnly = Date.now() - t0;
  await page.getByTestId('report-table').waitFor({ timeout: 600_000 });
  const runAndEval = Date.now() - t0;
  const longTasks = await longTaskLog.read();
  await browser.close();

  // The lab's probe code against transformers.js in one page (the lab's tab is closed: nothing else runs).
  const vs = await probeVsTransformers(launch, origin, TIMING_IMAGES);

  console.log(`machine: ${os.cpus()[0]?.model} x${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB; ${userAgent}`);
  console.log(`backend: ${badge?.trim()}`);
  printCold(plainCold, cold);
  console.log(`repeat visit (same profile, new tab) to ready: median ${sec(median(repeat))} s over ${repeat.length} (${seconds(repeat)})`);
  const changeMs = changes.map((c) => c.change.ms);
  const notIdle = changes.filter((c) => !c.idle).map((c) => c.label);
  console.log(`setting changed (location.hash) -> ready to step, lab idle: median ${median(changeMs).toFixed(0)} ms over ${changes.length} (target <= 1 s); ` +
    `each: ${changes.map((c) => `${c.label} ${c.change.ms.toFixed(0)} (button disabled after ${c.change.disabledAfterMs.toFixed(0)})`).join(', ')}` +
    (notIdle.length ? `; NOT idle after 60 s before: ${notIdle.join(', ')}` : ''));
  console.log(`setting changed while preparing (seed=2 right after the first step became possible; background preparation ${preparingAtChange ? 'was' : 'was NOT'} showing): ${whilePreparing.ms.toFixed(0)} ms (button disabled after ${whilePreparing.disabledAfterMs.toFixed(0)})`);
  console.log(`probe answer on a new image after ${STEPS} steps (Finetune + current model, round trip): median ${median(probeMs).toFixed(0)} ms over ${PROBES}; asked right after a step ${median(probeAfterStep).toFixed(0)} ms (max ${Math.max(...probeAfterStep).toFixed(0)}); at step 0 (one model) ${median(probeAtZero).toFixed(0)} ms (target <= 300 ms)`);
  console.log(`probe vs transformers.js (model-check.html?mode=timing, ${vs.calls} questions = ${vs.images} fresh renders x 2, one at a time, after one warm-up each; WASM threads lab ${vs.lab.threads} / transformers.js ${vs.transformers.threads}; ` +
    `greedy, at most ${vs.maxNewTokens} new tokens; answers ${vs.equal ? 'agree token for token' : `DISAGREE on ${vs.mismatches.length}: the times compare different work`}):`);
  console.log(`  probe (lab runtime, one question; from the RGBA render: question check, pixel normalisation, prompt tokenization, vision encoder, embed, greedy decode with KV cache to <eos>) ${vs.lab.medianMs.toFixed(0)} ms ` +
    `(answerProbe alone ${vs.lab.medianGenerateMs.toFixed(0)}); transformers.js (processor: image preprocessing + tokenization, then generate()) ${vs.transformers.medianMs.toFixed(0)} ms (generate() alone ${vs.transformers.medianGenerateMs.toFixed(0)}); ` +
    `ratio lab / transformers.js, median over the ${vs.calls} same-question pairs: ${vs.ratio.toFixed(2)} (goal <= 1; ratio of the two medians ${vs.ratioOfMedians.toFixed(2)})`);
  console.log(`  per question (medians): ${vs.byQuestion.map((q) => `"${q.question}" (${q.answerTokens} tokens) lab ${q.labMs.toFixed(0)} / transformers.js ${q.transformersMs.toFixed(0)} ms`).join('; ')}`);
  console.log(`  for comparison, the lab page's own probe round trip at step 0 (one model; click to answer shown: UI, worker messages, render, verdict) median ${median(probeAtZero).toFixed(0)} ms`);
  console.log(`one unlearning step (batch 8): median ${median(stepMs).toFixed(0)} ms in the worker, ${median(roundTrip).toFixed(0)} ms click to counter, over ${STEPS} (target <= 500 ms)`);
  console.log(`default run (${totalSteps} steps) ${(runOnly / 1000).toFixed(1)} s, plus evaluation ${(runAndEval / 1000).toFixed(1)} s (target <= 60 s)`);
  console.log(`main-thread long tasks during the run: ${longTasks.length}, longest ${Math.max(0, ...longTasks).toFixed(0)} ms (target: none over 200 ms)`);
  console.log(JSON.stringify({
    backend, coldStartMs: median(plainCold.map((c) => c.readyMs)), coldStartPlaywrightMs: median(cold.map((c) => c.readyMs)),
    firstStepMs: median(plainCold.map((c) => c.stepReadyMs)), firstStepPlaywrightMs: median(cold.map((c) => c.stepReadyMs)),
    firstStepInPageObserverMs: Math.round(median(cold.map((c) => c.stepEnabledInPageMs))), firstStepDonePlaywrightMs: Math.round(median(cold.map((c) => c.firstStepDoneMs))), repeatVisitMs: median(repeat),
    settingChangeMs: Math.round(median(changeMs)), settingChangeWhilePreparingMs: Math.round(whilePreparing.ms),
    probeMs: median(probeMs), probeAfterStepMs: median(probeAfterStep), probeAtZeroMs: median(probeAtZero),
    probeLabRuntimeMs: vs.lab.medianMs, transformersJsMs: vs.transformers.medianMs, probeVsTransformersRatio: vs.ratio, probeAnswersAgree: vs.equal,
    stepMs: median(stepMs), stepRoundTripMs: median(roundTrip), runMs: runOnly, runAndEvalMs: runAndEval, longestTaskMs: Math.max(0, ...longTasks),
    repeats: { plainCold: plainCold.length, cold: cold.length, probes: PROBES, steps: STEPS, timingImages: TIMING_IMAGES, settingChanges: changes.length },
  }));
} finally {
  await close();
}
