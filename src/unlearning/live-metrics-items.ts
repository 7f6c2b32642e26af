// Which items the lab's live metrics ask, as a pure function of the world and the forget request:
// a fixed seeded sample per cell of the person x event interference matrix (the same items every
// time for the same request, so the curves compare like with like), plus the summary of a scored
// matrix into forget / retain / scope. Rows: images of a forgotten person, of a forgotten event, of
// neither; columns: the identity or the event question on them. Shared by the lab (live curves and
// matrix) and the bench (trajectories). Not here: scoring (live-metrics.ts).
import { Rng } from '../core/rng.ts';
import {
  eventQuestions, forgetItemsOf, identityQuestions, type ForgetConcept, type QAPair, type SplitItem, type Splits, type World,
} from '../world/index.ts';

/**
 * One cell of the live interference matrix: the share (0-1) of its items whose reference answer's
 * first 8 tokens greedy decoding would say (all of an identity answer; an event answer's name and first keyword).
 */
export interface LiveCell {
  /** null when the request has no such images (e.g. the event row of a person request). */
  known: number | null;
  n: number;
}

export type LiveRow = 'forgetPerson' | 'forgetEvent' | 'neither';
export type LiveQuestion = 'identity' | 'event';

/**
 * The quick live metrics after a step (and at step 0): fixed small samples of the request's
 * items, scored teacher-forced with the current weights. An item counts as known when every one of
 * its reference answer's first tokens is the model's top token (what greedy decoding would say).
 * Rows are images of a forgotten person, of a forgotten event, of neither; columns the question.
 * Sent at step 0 (configure's result), after every `step` request, and during a `run` every few
 * steps and at the last one (in step order); the `metrics` request gives those of the current weights.
 */
export interface LabMetrics {
  step: number;
  matrix: Record<LiveRow, Record<LiveQuestion, LiveCell>>;
  /** Known share on the forgotten concepts' own questions (lower = more forgotten). */
  forget: number | null;
  /** Known share on images of neither (higher = better kept). */
  retain: number | null;
  /** Known share of the other concept's question on forgotten images (cross-concept, higher = better kept). */
  scope: number | null;
  /** Time they took, reading the weights included. */
  ms: number;
}

/** Items per cell at most (fewer when the split holds fewer). */
export const METRIC_ITEMS_PER_CELL = 8;

export const LIVE_ROWS: readonly LiveRow[] = ['forgetPerson', 'forgetEvent', 'neither'];
export const LIVE_QUESTIONS: readonly LiveQuestion[] = ['identity', 'event'];

export type MetricItems = Record<LiveRow, Record<LiveQuestion, SplitItem[]>>;
/** An image item (metrics items always have an image). */
type ImageItem = Extract<SplitItem, { key: object }>;

const questionType = (q: LiveQuestion): QAPair['type'] => q;
const ofType = (items: readonly SplitItem[], q: LiveQuestion): ImageItem[] =>
  items.filter((i): i is ImageItem => i.key !== null && i.qa.type === questionType(q));

/**
 * The fixed sample of every cell. Sources, all of the split's own sets:
 * - forgotten person's images: its forget items (identity), the person targets' scope items (event);
 * - forgotten event's images: the event targets' scope items (identity), its forget items (event);
 * - neither: the split's retain items (images showing no forget target). A request of one concept
 *   only has retain questions of that concept; the other column asks the other concept's question
 *   (a trained wording, seeded) on the same retain images.
 * Cells of a row the request has no images for (the event row of a person request) are empty.
 */
export function metricItems(world: World, splits: Splits, perCell = METRIC_ITEMS_PER_CELL): MetricItems {
  const rng = new Rng(world.config.seed, `lab-metrics/${splits.request.forgetSeed}`);
  const take = (name: string, pool: readonly SplitItem[]): SplitItem[] => {
    if (pool.length <= perCell) return [...pool];
    const chosen = new Set(rng.fork(name).sample([...pool.keys()], perCell));
    return pool.filter((_, i) => chosen.has(i)); // the split's order among the chosen
  };
  const scopeOf = (concept: ForgetConcept): SplitItem[] => {
    const ids = new Set(concept === 'person' ? splits.forgetPersons : splits.forgetEvents);
    return splits.scopeItems.filter((i) => i.key && ids.has(concept === 'person' ? i.key.personId : i.key.eventId));
  };
  const neither = (q: LiveQuestion): SplitItem[] => {
    const own = ofType(splits.retainItems, q);
    if (own.length > 0) return own;
    const wordings = rng.fork(`neither/${q}`);
    return splits.retainItems.flatMap((i) => {
      if (!i.key) return [];
      const all = q === 'identity' ? identityQuestions(world.persons[i.key.personId]) : eventQuestions(world.events[i.key.eventId]);
      return [{ key: i.key, qa: wordings.pick(all.filter((qa) => !qa.heldOut)) }];
    });
  };
  return {
    forgetPerson: {
      identity: take('person/identity', ofType(forgetItemsOf(splits, 'person'), 'identity')),
      event: take('person/event', ofType(scopeOf('person'), 'event')),
    },
    forgetEvent: {
      identity: take('event/identity', ofType(scopeOf('event'), 'identity')),
      event: take('event/event', ofType(forgetItemsOf(splits, 'event'), 'event')),
    },
    neither: { identity: take('neither/identity', neither('identity')), event: take('neither/event', neither('event')) },
  };
}

/** Mean of the cells that have items; null when none has. */
function meanOf(cells: readonly LiveCell[]): number | null {
  const known = cells.flatMap((c) => (c.known === null ? [] : [c.known]));
  return known.length ? known.reduce((a, b) => a + b, 0) / known.length : null;
}

/**
 * forget: the forgotten concepts' own questions (person row x identity, event row x event);
 * retain: both questions on images of neither; scope: the other concept's question on forgotten
 * images (person row x event, event row x identity). Rows without images count as absent.
 */
export function summarizeMatrix(matrix: Record<LiveRow, Record<LiveQuestion, LiveCell>>): { forget: number | null; retain: number | null; scope: number | null } {
  return {
    forget: meanOf([matrix.forgetPerson.identity, matrix.forgetEvent.event]),
    retain: meanOf([matrix.neither.identity, matrix.neither.event]),
    scope: meanOf([matrix.forgetPerson.event, matrix.forgetEvent.identity]),
  };
}
