// The page's view in the URL hash, beside the experiment: the open lesson and its step
// (`lesson=N&ls=K`, both 1-based, so a teacher can link straight to lesson N or step K), and the
// projector's presentation mode (`present=1`), and the pinned runs' settings (`pin=...`, repeated:
// each an experiment's hash entries, so a link replays them). Pure functions. Not here: the experiment's keys
// (lab-hash.ts), which lesson says what (lessons.ts).
import { LESSONS } from './lessons.ts';

export interface LabView {
  /** 1-based lesson number, or null when no lesson is open. */
  lesson: number | null;
  /** 1-based step of the open lesson. */
  lessonStep: number;
  present: boolean;
  /** Pinned runs' experiments as hash entries without '#' (e.g. 'target=persons&...&method=ga'). */
  pins: string[];
}

/** Pins a link may name (the page keeps at most this many too). */
export const MAX_LINKED_PINS = 6;

export const VIEW_KEYS: readonly string[] = ['lesson', 'ls', 'present', 'pin'];
export const NO_VIEW: LabView = { lesson: null, lessonStep: 1, present: false, pins: [] };

/** The view a hash names, and what it had to ignore (key=value). */
export function viewFromHash(hash: string): { view: LabView; ignored: string[] } {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const ignored: string[] = [];
  const int = (key: string, max: number): number | null => {
    const raw = q.get(key);
    if (raw === null) return null;
    if (/^\d+$/.test(raw) && Number(raw) >= 1 && Number(raw) <= max) return Number(raw);
    ignored.push(`${key}=${raw}`);
    return null;
  };
  const lesson = int('lesson', LESSONS.length);
  const steps = lesson === null ? 1 : LESSONS[lesson - 1].steps.length + 1;
  const lessonStep = lesson === null ? 1 : (int('ls', steps) ?? 1);
  const rawPresent = q.get('present');
  if (rawPresent !== null && rawPresent !== '1' && rawPresent !== '0') ignored.push(`present=${rawPresent}`);
  const pins: string[] = [];
  for (const raw of q.getAll('pin')) {
    if (new URLSearchParams(raw).has('method') && pins.length < MAX_LINKED_PINS) pins.push(raw);
    else ignored.push(`pin=${raw}`);
  }
  return { view: { lesson, lessonStep, present: rawPresent === '1', pins }, ignored };
}

/** `hash` (an experiment's) with the view's keys appended; none for the default view. */
export function withView(hash: string, view: LabView): string {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  for (const key of VIEW_KEYS) q.delete(key);
  if (view.lesson !== null) q.append('lesson', String(view.lesson));
  if (view.lesson !== null && view.lessonStep > 1) q.append('ls', String(view.lessonStep));
  if (view.present) q.append('present', '1');
  for (const pin of view.pins) q.append('pin', pin);
  return `#${q}`;
}

/** `hash` without the view's keys (what lab-hash.ts reads as the experiment). */
export const withoutView = (hash: string): string => withView(hash, NO_VIEW);

/** True when the hash names no part of an experiment (a bare lesson link such as `#lesson=2`). */
export function namesNoExperiment(hash: string): boolean {
  const q = new URLSearchParams(withoutView(hash).replace(/^#/, ''));
  return [...q.keys()].every((k) => k === 'page' || k === 'backend');
}
