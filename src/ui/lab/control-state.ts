// What the playground controls show and allow, from the session's fields: the Run button's label
// (Run / Pause / Resume), and for each control either null (usable) or the reason it is disabled, in
// words the page puts in its title; plus which control a key press means (Space, ArrowRight, R).
// Pure: no DOM, no Svelte, so it is unit-tested. Not here: acting on them (LabSession).
import type { RunState } from '../../unlearning/driver.ts';

/** The session fields the controls depend on (LabSession has them all). */
export interface ControlInputs {
  phase: 'starting' | 'loading' | 'ready' | 'failed';
  configured: unknown;
  configuring: boolean;
  status: { state: RunState; step: number; totalSteps: number } | null;
  /** Why every control waits (the link's pinned runs being replayed), or null. */
  hold?: string | null;
}

export type Control = 'run' | 'step' | 'reset';

export interface ControlState {
  runLabel: 'Run' | 'Pause' | 'Resume';
  /** Why each control is disabled, or null when it can be used. */
  disabledBecause: Record<Control, string | null>;
}

export const REASONS = {
  failed: 'the model could not be loaded: see the error above',
  loading: 'the model is still loading',
  preparing: 'the run is being prepared',
  running: 'a run is going: pause it to step once',
  complete: 'the run is complete: reset to run again',
  diverged: 'the run diverged: reset it',
  atStart: 'already at the Finetune model',
} as const;

export function controlState(s: ControlInputs): ControlState {
  const status = s.status;
  const runLabel = status?.state === 'running' ? 'Pause' : status?.state === 'paused' ? 'Resume' : 'Run';
  const notYet = s.hold ? s.hold
    : s.phase === 'failed' ? REASONS.failed
    : s.phase !== 'ready' ? REASONS.loading
    : !s.configured || s.configuring || !status ? REASONS.preparing
    : null;
  if (notYet || !status) return { runLabel, disabledBecause: { run: notYet, step: notYet, reset: notYet } };

  const ended = status.state === 'diverged' ? REASONS.diverged
    : status.state === 'done' || status.step >= status.totalSteps ? REASONS.complete
    : null;
  const moving = status.state === 'running' || status.state === 'paused';
  return {
    runLabel,
    disabledBecause: {
      run: moving ? null : ended,
      step: status.state === 'running' ? REASONS.running : ended,
      reset: status.step === 0 && status.state === 'ready' ? REASONS.atStart : null,
    },
  };
}

/** The parts of a keydown event a shortcut looks at (a KeyboardEvent has them). */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  repeat: boolean;
  target: { tagName?: string; isContentEditable?: boolean } | EventTarget | null;
}

const TYPING_TAGS = new Set(['INPUT', 'SELECT', 'TEXTAREA']);
/** Elements that Space already activates: Space on them is theirs, not the page's. */
const SPACE_TAGS = new Set(['BUTTON', 'A', 'SUMMARY']);

/** Space = run/pause, ArrowRight = step, R = reset; null while typing, with a modifier, or on key repeat. */
export function shortcutFor(press: KeyPress): Control | null {
  if (press.ctrlKey || press.metaKey || press.altKey || press.shiftKey || press.repeat) return null;
  const target = (press.target ?? {}) as { tagName?: string; isContentEditable?: boolean };
  const tag = (target.tagName ?? '').toUpperCase();
  if (TYPING_TAGS.has(tag) || target.isContentEditable) return null;
  if (press.key === ' ') return SPACE_TAGS.has(tag) ? null : 'run';
  if (press.key === 'ArrowRight') return 'step';
  if (press.key === 'r' || press.key === 'R') return 'reset';
  return null;
}

/** Why "evaluate now" is disabled, or null: it needs a prepared run that is not going, and one evaluation at a time. */
export function evaluateDisabledBecause(s: ControlInputs & { evaluating: unknown }): string | null {
  if (s.evaluating) return 'an evaluation is running';
  const notYet = controlState(s).disabledBecause.reset;
  if (notYet && notYet !== REASONS.atStart) return notYet;
  return s.status?.state === 'running' ? 'a run is going: pause it to evaluate now' : null;
}
