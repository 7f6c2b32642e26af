// The lab's probe answers: the Finetune model's (kept per world image and question, as it never
// changes) and the current weights' (a LoRA run through the decoder fed its adapters, a last-blocks
// run through a decoder built for its step, Finetune's own sessions before the first step) or a
// pinned run's weights handed back (lab-pinned.ts), each with its verdict against the world.
// Not here: checking the question and picture (lab-probe.ts), judging (eval/probe-verdict.ts), the request queue (lab-engine.ts).
import { judgeProbeAnswer, type ProbeSubject, type ProbeVerdict } from '../eval/probe-verdict.ts';
import type { InferenceSessions } from '../runtime/generate.ts';
import type { UnlearnRun } from '../unlearning/driver.ts';
import type { LabModels } from './lab-models.ts';
import { pinnedSessions } from './lab-pinned.ts';
import { answerProbe, checkQuestion, probePixels } from './lab-probe.ts';
import { LabError, type LabPayload, type LabResult, type ProbeImage } from './lab-protocol.ts';

/** Finetune answers kept (least recently used dropped first). */
const BASE_ANSWERS_KEPT = 256;

type JudgedAnswer = Awaited<ReturnType<typeof answerProbe>> & { verdict: ProbeVerdict };

export class Prober {
  private readonly baseAnswers = new Map<string, JudgedAnswer>();

  /**
   * Answers with `models`' Finetune model and with `run`'s weights after its last completed step
   * (`epoch` names them), or with the pinned run's weights the payload carries.
   */
  async ask(models: LabModels, run: UnlearnRun | null, epoch: number, payload: LabPayload<'ask'>): Promise<LabResult<'ask'>> {
    const { world, finetune, base } = models;
    if (!payload || typeof payload !== 'object') throw new LabError('bad-input', 'ask needs { question, image }');
    const pixels = probePixels(payload.image ?? null, world, finetune.cfg);
    const question = checkQuestion(payload.question, finetune.tokenizer, finetune.cfg, pixels !== null);
    const image = payload.image ?? null;
    const key = probeCacheKey(question, image);
    const subject = probeSubject(image);
    const judge = async (sessions: InferenceSessions): Promise<JudgedAnswer> => {
      const answered = await answerProbe(sessions, finetune.tokenizer, question, pixels);
      return { ...answered, verdict: judgeProbeAnswer(world, question, subject, answered.answer.text) };
    };
    const fromBase = (key !== null ? this.baseAnswers.get(key) : undefined) ?? await judge(base);
    if (key !== null) this.remember(key, fromBase);
    const { sessions, step } = payload.weights ? await pinnedSessions(models, payload.weights) : await currentSessions(models, run, epoch);
    // Until the first step the current weights are Finetune's exactly (fresh adapters add zero).
    const fromCurrent = sessions === base ? fromBase : await judge(sessions);
    return {
      base: fromBase.answer, current: fromCurrent.answer, step, unknownWords: fromBase.unknownWords,
      verdict: { base: fromBase.verdict, current: fromCurrent.verdict },
    };
  }

  /** Forgets the kept Finetune answers (another model was loaded). */
  clear(): void {
    this.baseAnswers.clear();
  }

  private remember(key: string, answer: JudgedAnswer): void {
    this.baseAnswers.delete(key);
    this.baseAnswers.set(key, answer);
    if (this.baseAnswers.size > BASE_ANSWERS_KEPT) this.baseAnswers.delete(this.baseAnswers.keys().next().value!);
  }
}

/** Sessions with the run's weights after its last completed step (Finetune's before any configure). */
async function currentSessions(models: LabModels, run: UnlearnRun | null, epoch: number): Promise<{ sessions: InferenceSessions; step: number }> {
  if (!run) return { sessions: models.base, step: 0 };
  const adapters = await run.loraAdapters(); // waits for the step in flight
  if (run.step === 0 || run.state === 'diverged') return { sessions: models.base, step: run.step };
  if (adapters) return { sessions: await models.sessionsWithAdapters(adapters), step: run.step };
  return { sessions: await models.sessionsFor(`${epoch}:${run.step}`, await run.params()), step: run.step };
}

/** What the verdict judges the answers about. */
function probeSubject(image: ProbeImage | null): ProbeSubject {
  if (image === null) return { kind: 'none' };
  if ('rgba' in image) return { kind: 'upload' };
  return { kind: 'world', key: { personId: image.personId, eventId: image.eventId, variant: image.variant } };
}

/** A cache key for probes of world images (null for uploaded pixels, which are not cached). */
function probeCacheKey(question: string, image: LabPayload<'ask'>['image']): string | null {
  if (image === null) return `text|${question}`;
  if ('rgba' in image) return null;
  return `${image.personId}/${image.eventId}/${image.variant}|${question}`;
}
