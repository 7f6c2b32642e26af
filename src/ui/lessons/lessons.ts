// The lab's guided lessons: each a preset experiment (a lab URL hash, tuned defaults unless named),
// short steps that say which panel to watch and what to look for, and a closing sentence filled
// from this very run's numbers next to what the PEBench paper reported (docs/paper.md section 6).
// Pure data and formatting: no DOM, no Svelte. Not here: showing them (LessonGuide.svelte), the hash.
import type { ConceptReport, PebenchReport } from '../../eval/pebench-report.ts';
import type { LabMetrics, LiveQuestion, LiveRow } from '../../unlearning/live-metrics-items.ts';

/** A part of the page a step points at (lesson-focus.ts maps it to elements). */
export type LessonPanel = 'world' | 'method' | 'controls' | 'probe' | 'tiles' | 'curves' | 'matrix' | 'report';

export interface LessonStep {
  panel: LessonPanel;
  text: string;
  /** 'run': the step offers to run the preset and moves on once the run is done and its report is in. */
  action?: 'run';
}

/** What a lesson's closing sentence reads: the run's last report, its Finetune report and its live metrics. */
export interface LessonRun {
  report: PebenchReport;
  finetune: PebenchReport;
  metrics: readonly LabMetrics[];
  steps: number;
}

export interface Lesson {
  title: string;
  /** One line for the lesson list. */
  summary: string;
  /** The preset experiment, as a lab hash (without backend: the page keeps its own). */
  hash: string;
  steps: LessonStep[];
  /** What this run measured, or null while a number it needs is missing. */
  measured: (run: LessonRun) => string | null;
  /** What the paper reported for the same question. */
  paper: string;
}

const num = (v: number | null | undefined, digits: number): string | null => (v === null || v === undefined || Number.isNaN(v) ? null : v.toFixed(digits));
const pct = (v: number | null | undefined) => num(v, 1);
/** "x (Finetune y)" for one report column, or null when the run has no value. */
function column(run: LessonRun, concept: 'person' | 'event', key: keyof ConceptReport, digits: number): string | null {
  const now = num(run.report[concept]?.[key] as number | null | undefined, digits);
  const before = num(run.finetune[concept]?.[key] as number | null | undefined, digits);
  return now === null ? null : `${now}${before === null ? '' : ` (Finetune ${before})`}`;
}
/** A live-matrix cell at step 0 and at the run's last metrics, in % of its sample. */
function cell(run: LessonRun, row: LiveRow, question: LiveQuestion): string | null {
  const first = run.metrics[0]?.matrix[row][question];
  const last = run.metrics.at(-1)?.matrix[row][question];
  if (!first || !last || first.known === null || last.known === null || run.metrics.length < 2) return null;
  return `${Math.round(first.known * 100)}% at step 0 to ${Math.round(last.known * 100)}% at step ${run.metrics.at(-1)!.step} (n = ${last.n})`;
}
/** Joins the parts into one sentence, or null when any is missing. */
function sentence(parts: (string | null)[], template: (p: string[]) => string): string | null {
  return parts.every((p) => p !== null) ? template(parts as string[]) : null;
}

const RUN_STEP = (what: string): LessonStep => ({
  panel: 'controls', action: 'run',
  text: `Run the experiment: ${what} The counter counts the steps; the PEBench report follows the last one (well under a minute in all).`,
});

export const LESSONS: readonly Lesson[] = [
  {
    title: 'Forgetting a person',
    summary: 'Gradient Ascent makes the model forget 5% of the persons: how much of everyone else goes with them?',
    hash: '#page=lab&target=persons&pr=0.05&fs=0&method=ga&seed=0',
    steps: [
      { panel: 'world', text: 'The World panel lists the persons this run will forget: 5% of the world, drawn by seed 0. The model was fine-tuned on images of all of them.' },
      { panel: 'probe', text: 'The Probe asks "Who is this person?" about a forgotten person\'s image. Left: the Finetune model, right: the current model. Both still name the person.' },
      RUN_STEP('Gradient Ascent (GA) pushes the likelihood of the forgotten answers down, step by step.'),
      { panel: 'tiles', text: '"Still knows the forgotten" should have fallen. Compare "still knows the rest": GA has no term that protects the other persons.' },
      { panel: 'report', text: 'The PEBench report: Efficacy is how much of the forgotten persons is gone (higher is better), Retain how well the model still names the other persons.' },
    ],
    measured: (run) => sentence([column(run, 'person', 'efficacy', 1), column(run, 'person', 'retain', 1)],
      ([e, r]) => `On this run, after ${run.steps} GA steps: person Efficacy ${e}, Retain ${r}.`),
    paper: 'The paper (a 7B model): every method forgot persons almost completely (Efficacy about 100), but Retain collapsed to 3.9-21.5 (GA 3.89) against 96.4 for the Goal model, which never saw the targets. Try NPO in the Method panel: its preference-style objective keeps more of the rest here.',
  },
  {
    title: 'Events are harder to forget',
    summary: 'Gradient Difference on 5% of the events: an event is spread over many persons\' images.',
    hash: '#page=lab&target=events&er=0.05&fs=0&method=gd&seed=0',
    steps: [
      { panel: 'world', text: 'This time the targets are events. Each event appears with many different persons, so there is no single face to unlearn.' },
      { panel: 'method', text: 'Gradient Difference (GD) ascends on the forgotten events\' answers and descends on retained ones, to keep the rest.' },
      RUN_STEP('watch the curves as GD works on the events.'),
      { panel: 'curves', text: 'The curve of "still knows the forgotten" falls more slowly than in the person lesson and may stop well above zero.' },
      { panel: 'report', text: 'Event columns are 0-1 (an event score from ROUGE-L and keyword recall); Efficacy is 1 minus the score on forgotten events.' },
    ],
    measured: (run) => sentence([column(run, 'event', 'efficacy', 2), column(run, 'event', 'retain', 2)],
      ([e, r]) => `On this run, after ${run.steps} GD steps: event Efficacy ${e}, event Retain ${r} (0-1).`),
    paper: 'The paper: event unlearning is much harder than person unlearning. The best method reached an event Efficacy of 0.58 (GD), against 0.97 for the Goal model, while every method reached about 100 on persons.',
  },
  {
    title: 'Cross-concept interference',
    summary: 'Forget events and read the matrix: does the model still know who is on those images?',
    hash: '#page=lab&target=events&er=0.05&fs=0&method=ga&seed=0',
    steps: [
      { panel: 'matrix', text: 'The interference matrix: rows are the images shown (a forgotten person\'s, a forgotten event\'s, neither), columns the question asked. Each cell is the share still answered.' },
      RUN_STEP('GA forgets the events; nobody asked it to forget the persons on those images.'),
      { panel: 'matrix', text: 'Read the row "a forgotten event" in the column "who is it?": the persons on the forgotten events\' images. A drop there is interference: the event request took persons with it.' },
      { panel: 'report', text: 'The report\'s Scope column says the same over a larger sample: for an event request it is the person precision (0-100) on the forgotten events\' images.' },
    ],
    measured: (run) => sentence([cell(run, 'forgetEvent', 'identity'), column(run, 'event', 'scope', 1)],
      ([c, s]) => `On this run, "who is it?" on forgotten events' images went from ${c}; the report's Scope (person precision there) is ${s}.`),
    paper: 'The paper: forgetting events dropped person precision on the same images by 15-22 points (GA 78.5 against 100 for Finetune); forgetting persons dropped the event score on their images by 0.06-0.17. Lesson 1\'s run shows the second direction in the row "a forgotten person", column "which event?".',
  },
  {
    title: 'Forgetting both at once',
    summary: 'A joint request (persons and events) with KL and Balanced Gradient Descent (BGD).',
    hash: '#page=lab&target=joint&pr=0.05&er=0.05&fs=0&method=kl&bgd=1&seed=0',
    steps: [
      { panel: 'world', text: 'A joint request: 5% of the persons and 5% of the events at once. Their images overlap, so the two goals pull on the same pictures.' },
      { panel: 'method', text: 'KL with BGD: BGD balances the two concepts\' forget losses so that one does not win over the other. Untick it later to compare.' },
      RUN_STEP('KL+BGD works on both concepts.'),
      { panel: 'matrix', text: 'Both "forgotten" rows should fall in their own column; the "neither" row is what is kept.' },
      { panel: 'report', text: 'The report has a person table and an event table: Efficacy on each concept, and what each kept.' },
    ],
    measured: (run) => sentence([column(run, 'person', 'efficacy', 1), column(run, 'event', 'efficacy', 2), column(run, 'person', 'retain', 1), column(run, 'event', 'retain', 2)],
      ([pe, ee, pr, er]) => `On this run (KL+BGD, ${run.steps} steps): person Efficacy ${pe}, event Efficacy ${ee}; person Retain ${pr}, event Retain ${er}.`),
    paper: 'The paper: forgetting both lowers Efficacy on both concepts; BGD recovers part of it at some cost in Retain. KL: person Efficacy 36.36, event 0.34 (Retain 22.41 / 0.82); KL+BGD: 48.10 and 0.42 (Retain 18.67 / 0.76).',
  },
  {
    title: 'Unlearning is shallow',
    summary: 'NPO forgets the persons\' images; do fresh renders and text-only questions still reveal them?',
    hash: '#page=lab&target=persons&pr=0.05&fs=0&method=npo&seed=0',
    steps: [
      RUN_STEP('NPO forgets the persons on their training images.'),
      { panel: 'probe', text: 'Pick a fresh render of a forgotten person in the probe (an image never trained on) and ask "Who is this person?". Then choose "no image" and ask about the person by name.' },
      { panel: 'report', text: 'In the report, Generality is Efficacy on unseen images and paraphrases; "Text-only facts" asks about forgotten persons by name, with no image at all.' },
    ],
    measured: (run) => {
      const facts = 'unavailable' in run.report.textFacts ? null : run.report.textFacts;
      const factsBefore = 'unavailable' in run.finetune.textFacts ? null : run.finetune.textFacts;
      return sentence([column(run, 'person', 'efficacy', 1), column(run, 'person', 'generality', 1), pct(facts?.forget)],
        ([e, g, t]) => `On this run: Efficacy ${e} on training images, Generality ${g} on unseen ones, and ${t}% of text-only facts about the forgotten persons still answered${factsBefore?.forget != null ? ` (Finetune ${pct(factsBefore.forget)}%)` : ''}.`);
    },
    paper: 'The paper reported Generality next to Efficacy: about 100 for every method on persons, so forgetting reached unseen images of them. It did not ask text-only questions; that is this lab\'s addition: what an image-side unlearning leaves in the text-side knowledge.',
  },
];

/** Lesson n (1-based), or null. */
export const lessonAt = (n: number | null): Lesson | null => (n !== null && Number.isInteger(n) && n >= 1 && n <= LESSONS.length ? LESSONS[n - 1] : null);
