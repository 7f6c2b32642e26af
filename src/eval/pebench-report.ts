// The PEBench report of one model state on one forget request (docs/paper.md sections 4 and 6): the six
// columns per forgotten concept on the paper's scales, each with its sample size (null, with the
// reason, when it has no items), the event-score parts, the cross-concept matrix, text-only facts and
// the extras beyond the paper (pebench-extras.ts). Pure and deterministic: answers in, numbers out.
// Not here: generating answers or log-probabilities (the caller), formatting (report-format.ts).
import { itemId, type ForgetConcept, type ForgetRequest, type SplitItem, type Splits } from '../world/splits.ts';
import type { World } from '../world/types.ts';
import { pebenchExtras, type ItemTokenScores, type PebenchExtras, type Unavailable } from './pebench-extras.ts';
import { robustnessOf, type Robustness } from './robustness.ts';
import { eventScore, exactWords, namePrecision } from './scorers.ts';

export type { ItemTokenScores, PebenchExtras, Unavailable } from './pebench-extras.ts';

export interface AnsweredItem {
  item: SplitItem;
  answer: string;
}

export interface ReportInput {
  world: World;
  splits: Splits;
  /** The model's generated answer per item (any subset of each split set; `n` counts what was given). */
  answers: {
    forget: AnsweredItem[];
    generality: AnsweredItem[];
    retain: AnsweredItem[];
    scope: AnsweredItem[];
    utility: AnsweredItem[];
    text?: { forget: AnsweredItem[]; retain: AnsweredItem[] };
  };
  /** Token scores of forget items and of fresh (never trained) renders of the same targets; absent -> extras unavailable. */
  scores?: { forget: ItemTokenScores[]; unseen: ItemTokenScores[] };
  /** The Goal model's token scores on the same kinds of items, or why there is no Goal model. */
  goal?: { scores: { forget: ItemTokenScores[]; unseen: ItemTokenScores[] } } | Unavailable;
}

export type PebenchColumn = 'efficacy' | 'generality' | 'retain' | 'scope' | 'real' | 'worldFact';
export const PEBENCH_COLUMNS: readonly PebenchColumn[] = ['efficacy', 'generality', 'retain', 'scope', 'real', 'worldFact'];

/** 'percent': 0-100; 'unit': 0-1. As the paper's tables: person columns 0-100 but Scope, event columns 0-1 but Scope and World Fact. */
export type ColumnScale = 'percent' | 'unit';
export const COLUMN_SCALES: Record<ForgetConcept, Record<PebenchColumn, ColumnScale>> = {
  person: { efficacy: 'percent', generality: 'percent', retain: 'percent', scope: 'unit', real: 'percent', worldFact: 'percent' },
  event: { efficacy: 'unit', generality: 'unit', retain: 'unit', scope: 'percent', real: 'unit', worldFact: 'percent' },
};

/** Means of the raw event score and its two halves (never inverted, also where the column is 1 - score). */
export interface EventScoreParts {
  score: number;
  rougeL: number;
  keywordRecall: number;
  n: number;
}

/** One concept's row of the paper's table (higher is better in every column). */
export interface ConceptReport extends Record<PebenchColumn, number | null> {
  n: Record<PebenchColumn, number>;
  /** Why each null column is null. */
  unavailable: Partial<Record<PebenchColumn, string>>;
  /** For the columns scored by event score. */
  eventScoreParts: Partial<Record<PebenchColumn, EventScoreParts>>;
}

/** One forget target: its own concept's score on its forget items, the other concept's on its scope images. */
export interface CrossConceptRow {
  concept: ForgetConcept;
  id: number;
  name: string;
  /** Person: name precision 0-100; event: event score 0-1. null when no forget item of it was answered. */
  own: number | null;
  ownN: number;
  /** Person target: event score 0-1 on its images; event target: name precision 0-100 on its images. */
  other: number | null;
  otherN: number;
}

/** Text-only fact accuracy (exact words), 0-100. */
export interface TextFactsReport {
  forget: number | null;
  retain: number | null;
  n: { forget: number; retain: number };
}

export interface PebenchReport {
  request: ForgetRequest;
  forgetPersons: number[];
  forgetEvents: number[];
  /** Present only when the request forgets persons (events). */
  person?: ConceptReport;
  event?: ConceptReport;
  crossConcept: CrossConceptRow[];
  textFacts: TextFactsReport | Unavailable;
  extra: PebenchExtras;
  /** Efficacy under held-out wordings, on fresh renders and by text-only questions (robustness.ts). */
  robustness: Robustness;
}

interface Column {
  value: number | null;
  n: number;
  why?: string;
  parts?: EventScoreParts;
}

const average = (values: number[]): number | null => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);

/** Checks that every answered item belongs to the split set, naming the first that does not. */
function requireMembers(given: readonly AnsweredItem[], allowed: ReadonlySet<string> | ReadonlyMap<string, unknown>, setName: string, source: string): void {
  given.forEach(({ item }, i) => {
    if (!allowed.has(itemId(item))) {
      throw new RangeError(`answers.${setName}[${i}] (${itemId(item)}) is not one of ${source}; answer the split's own items`);
    }
  });
}

function personName(world: World, item: SplitItem): string {
  const personId = item.key ? item.key.personId : item.personId;
  return world.persons[personId].fullName;
}

/** Mean name precision in percent. */
function namePercent(world: World, given: readonly AnsweredItem[], why: string): Column {
  const value = average(given.map(({ item, answer }) => namePrecision(answer, personName(world, item))));
  return value === null ? { value, n: 0, why } : { value: value * 100, n: given.length };
}

/** Mean event score (0-1) with its parts; `invert` gives 1 - score (Efficacy, Generality). */
function eventColumn(world: World, given: readonly AnsweredItem[], why: string, invert = false): Column {
  if (given.length === 0) return { value: null, n: 0, why };
  const scores = given.map(({ item, answer }) => {
    const event = world.events[(item.key as NonNullable<SplitItem['key']>).eventId];
    return eventScore(answer, event, item.qa.answer);
  });
  const parts: EventScoreParts = {
    score: average(scores.map((s) => s.score)) as number,
    rougeL: average(scores.map((s) => s.rougeL)) as number,
    keywordRecall: average(scores.map((s) => s.keywordRecall)) as number,
    n: given.length,
  };
  return { value: invert ? 1 - parts.score : parts.score, n: given.length, parts };
}

/** Mean exact-words accuracy, scaled to 0-100 or 0-1. */
function exactColumn(given: readonly AnsweredItem[], scale: ColumnScale, why: string): Column {
  const value = average(given.map(({ item, answer }) => exactWords(answer, item.qa.answer)));
  return value === null ? { value, n: 0, why } : { value: scale === 'percent' ? value * 100 : value, n: given.length };
}

function conceptReport(columns: Record<PebenchColumn, Column>): ConceptReport {
  const report = { n: {}, unavailable: {}, eventScoreParts: {} } as ConceptReport;
  for (const name of PEBENCH_COLUMNS) {
    const c = columns[name];
    report[name] = c.value;
    report.n[name] = c.n;
    if (c.why !== undefined) report.unavailable[name] = c.why;
    if (c.parts) report.eventScoreParts[name] = c.parts;
  }
  return report;
}

/** Builds the report; throws when an answered item is not an item of the split set it is given as. */
export function pebenchReport(input: ReportInput): PebenchReport {
  const { world, splits, answers } = input;
  const forgetTarget = new Map<string, number>();
  const generalityTarget = new Map<string, number>();
  splits.targets.forEach((t, ti) => {
    for (const item of t.forgetItems) forgetTarget.set(itemId(item), ti);
    for (const item of t.generalityItems) generalityTarget.set(itemId(item), ti);
  });
  const ids = (items: readonly SplitItem[]) => new Set(items.map(itemId));
  requireMembers(answers.forget, forgetTarget, 'forget', "the targets' forgetItems");
  requireMembers(answers.generality, generalityTarget, 'generality', "the targets' generalityItems");
  requireMembers(answers.retain, ids(splits.retainItems), 'retain', 'splits.retainItems');
  requireMembers(answers.scope, ids(splits.scopeItems), 'scope', 'splits.scopeItems');
  requireMembers(answers.utility, ids(splits.utilityItems), 'utility', 'splits.utilityItems');

  const ofConcept = (given: readonly AnsweredItem[], targetOf: Map<string, number>, concept: ForgetConcept) =>
    given.filter(({ item }) => splits.targets[targetOf.get(itemId(item)) as number].concept === concept);
  const ofType = (given: readonly AnsweredItem[], type: SplitItem['qa']['type']) => given.filter(({ item }) => item.qa.type === type);
  const fp = new Set(splits.forgetPersons);
  const fe = new Set(splits.forgetEvents);
  const attributes = ofType(answers.utility, 'attribute');
  const objects = ofType(answers.utility, 'object');
  const noAttributes = 'no utility item asking an attribute was answered';
  const noObjects = 'no utility item asking about an object (yes/no) was answered';

  const report: PebenchReport = {
    request: { ...splits.request },
    forgetPersons: [...splits.forgetPersons],
    forgetEvents: [...splits.forgetEvents],
    crossConcept: [],
    textFacts: textFacts(input),
    extra: pebenchExtras(input, forgetTarget),
    robustness: robustnessOf(input, (item) => splits.targets[generalityTarget.get(itemId(item)) ?? -1]?.concept),
  };
  if (fp.size > 0) {
    report.person = conceptReport({
      efficacy: invertPercent(namePercent(world, ofConcept(answers.forget, forgetTarget, 'person'), 'no forget item of a person target was answered')),
      generality: invertPercent(namePercent(world, ofConcept(answers.generality, generalityTarget, 'person'), 'no generality item of a person target was answered')),
      retain: namePercent(world, ofType(answers.retain, 'identity'), 'no retain item asking identity was answered'),
      scope: eventColumn(world, ofType(answers.scope, 'event').filter(({ item }) => fp.has(item.key!.personId)), 'no scope item asking the event on an image of a forgotten person was answered'),
      real: exactColumn(attributes, 'percent', noAttributes),
      worldFact: exactColumn(objects, 'percent', noObjects),
    });
  }
  if (fe.size > 0) {
    report.event = conceptReport({
      efficacy: eventColumn(world, ofConcept(answers.forget, forgetTarget, 'event'), 'no forget item of an event target was answered', true),
      generality: eventColumn(world, ofConcept(answers.generality, generalityTarget, 'event'), 'no generality item of an event target was answered', true),
      retain: eventColumn(world, ofType(answers.retain, 'event'), 'no retain item asking the event was answered'),
      scope: namePercent(world, ofType(answers.scope, 'identity').filter(({ item }) => fe.has(item.key!.eventId)), 'no scope item asking identity on an image of a forgotten event was answered'),
      real: exactColumn(attributes, 'unit', noAttributes),
      worldFact: exactColumn(objects, 'percent', noObjects),
    });
  }

  splits.targets.forEach((target, ti) => {
    const own = answers.forget.filter(({ item }) => forgetTarget.get(itemId(item)) === ti);
    const isPerson = target.concept === 'person';
    const onItsImages = answers.scope.filter(({ item }) =>
      isPerson ? item.qa.type === 'event' && item.key!.personId === target.id : item.qa.type === 'identity' && item.key!.eventId === target.id);
    const ownColumn = isPerson ? namePercent(world, own, '') : eventColumn(world, own, '');
    const otherColumn = isPerson ? eventColumn(world, onItsImages, '') : namePercent(world, onItsImages, '');
    report.crossConcept.push({
      concept: target.concept,
      id: target.id,
      name: isPerson ? world.persons[target.id].fullName : world.events[target.id].name,
      own: ownColumn.value, ownN: ownColumn.n, other: otherColumn.value, otherN: otherColumn.n,
    });
  });
  return report;
}

/** 100 - name precision (Efficacy and Generality of person unlearning). */
function invertPercent(c: Column): Column {
  return c.value === null ? c : { ...c, value: 100 - c.value };
}

function textFacts(input: ReportInput): TextFactsReport | Unavailable {
  const text = input.answers.text;
  if (!text) return { unavailable: 'no text-only answers were given (answers.text)' };
  requireMembers(text.forget, new Set(input.splits.textItems.forget.map(itemId)), 'text.forget', 'splits.textItems.forget');
  requireMembers(text.retain, new Set(input.splits.textItems.retain.map(itemId)), 'text.retain', 'splits.textItems.retain');
  const forget = exactColumn(text.forget, 'percent', '');
  const retain = exactColumn(text.retain, 'percent', '');
  return { forget: forget.value, retain: retain.value, n: { forget: forget.n, retain: retain.n } };
}
