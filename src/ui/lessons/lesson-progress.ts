// Where the user left the lessons (lesson and step), kept in localStorage so the lesson list can
// offer to resume after the tab was closed; the URL hash holds it too while a lesson is open.
// Storage failures (private mode, quota) lose only this hint. Not here: the hash (lesson-view.ts).
const KEY = 'pebench-lab:lesson';

export interface LessonProgress {
  lesson: number;
  step: number;
}

export function readProgress(): LessonProgress | null {
  try {
    const raw = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Partial<LessonProgress> | null;
    return raw && Number.isInteger(raw.lesson) && Number.isInteger(raw.step) ? { lesson: raw.lesson!, step: raw.step! } : null;
  } catch {
    return null;
  }
}

export function writeProgress(progress: LessonProgress): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(progress));
  } catch {
    // Nothing to do: the hash still holds the lesson while it is open.
  }
}
