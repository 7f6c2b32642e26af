// Which images the probe grid asks about: every training image of one forget target (the images its
// unlearning steps use: `forgetImages` of the run's splits), or a fixed sample of retained images
// (images of neither a forgotten person nor a forgotten event), and the question that fits each
// (identity for persons, the event for events). Pure world code. Not here: asking (ProbeGrid.svelte).
import { createWorld, makeSplits, type ForgetConcept, type ForgetRequest, type ImageKey, type WorldConfig } from '../../world/index.ts';

export const GRID_QUESTIONS: Record<ForgetConcept, string> = {
  person: 'Who is this person?',
  event: 'What event is taking place in this image?',
};
/** Retained images the grid asks about at most. */
export const RETAINED_SAMPLE = 12;

export interface GridChoice {
  /** 'person:3', 'event:7' or 'retained'. */
  value: string;
  label: string;
}

export interface GridImages {
  /** Per target (its choice value): its forget images; 'retained': the sample. */
  byChoice: Map<string, ImageKey[]>;
}

/** The grid's images for a request, computed once per request (the world and its splits, on this thread). */
export function gridImages(config: WorldConfig, request: ForgetRequest): GridImages {
  const splits = makeSplits(createWorld(config), request);
  const byChoice = new Map<string, ImageKey[]>();
  for (const t of splits.targets) byChoice.set(`${t.concept}:${t.id}`, t.forgetImages.map((k) => ({ ...k })));
  const seen = new Set<string>();
  const retained: ImageKey[] = [];
  for (const item of splits.retainItems) {
    if (!item.key || item.key.variant !== 0 || retained.length >= RETAINED_SAMPLE) continue;
    const id = `${item.key.personId}/${item.key.eventId}`;
    if (!seen.has(id)) retained.push({ ...item.key });
    seen.add(id);
  }
  byChoice.set('retained', retained);
  return { byChoice };
}

/** The concept a choice asks about by default: its own, or for the retained sample the request's first. */
export function conceptOfChoice(value: string, request: ForgetRequest): ForgetConcept {
  if (value.startsWith('person:')) return 'person';
  if (value.startsWith('event:')) return 'event';
  return request.target === 'event' ? 'event' : 'person';
}
