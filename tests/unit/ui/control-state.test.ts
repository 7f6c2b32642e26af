// The playground controls' state: the Run button's label, why each disabled control is disabled at
// every stage of a session (loading, preparing, ready, running, paused, complete, diverged), and which
// key presses count as shortcuts (none while typing, with a modifier, or on key repeat).
import { describe, expect, it } from 'vitest';
import { REASONS, controlState, shortcutFor, type ControlInputs, type KeyPress } from '../../../src/ui/lab/control-state.ts';

const ready = (state: NonNullable<ControlInputs['status']>['state'], step: number, totalSteps = 60): ControlInputs => ({
  phase: 'ready', configured: {}, configuring: false, status: { state, step, totalSteps },
});

describe('controlState', () => {
  it('says the model is loading, or failed, before anything can be used', () => {
    for (const phase of ['starting', 'loading'] as const) {
      const c = controlState({ phase, configured: null, configuring: false, status: null });
      expect(c.disabledBecause).toEqual({ run: REASONS.loading, step: REASONS.loading, reset: REASONS.loading });
      expect(c.runLabel).toBe('Run');
    }
    expect(controlState({ phase: 'failed', configured: null, configuring: false, status: null }).disabledBecause.run).toBe(REASONS.failed);
  });

  it('holds every control with the reason while something else drives the session (a link\'s pins replayed)', () => {
    const hold = "the link's pinned runs are being replayed (pin 1 of 2): wait, or cancel the replay";
    const c = controlState({ ...ready('running', 3), hold });
    expect(c.disabledBecause).toEqual({ run: hold, step: hold, reset: hold });
    expect(controlState({ ...ready('running', 3), hold: null }).disabledBecause.run).toBeNull();
  });

  it('says the run is being prepared until it is configured, and while it is reconfigured', () => {
    expect(controlState({ ...ready('ready', 0), configured: null, status: null }).disabledBecause.step).toBe(REASONS.preparing);
    expect(controlState({ ...ready('ready', 3), configuring: true }).disabledBecause).toEqual({
      run: REASONS.preparing, step: REASONS.preparing, reset: REASONS.preparing,
    });
  });

  it('at step 0 runs and steps, and reset says it is already at the Finetune model', () => {
    const c = controlState(ready('ready', 0));
    expect(c.runLabel).toBe('Run');
    expect(c.disabledBecause).toEqual({ run: null, step: null, reset: REASONS.atStart });
  });

  it('while running: the toggle pauses, step says to pause first, reset works', () => {
    const c = controlState(ready('running', 12));
    expect(c.runLabel).toBe('Pause');
    expect(c.disabledBecause).toEqual({ run: null, step: REASONS.running, reset: null });
  });

  it('while paused: the toggle resumes, and a single step is allowed', () => {
    const c = controlState(ready('paused', 12));
    expect(c.runLabel).toBe('Resume');
    expect(c.disabledBecause).toEqual({ run: null, step: null, reset: null });
  });

  it('a complete or diverged run can only be reset, and says so', () => {
    expect(controlState(ready('done', 60)).disabledBecause).toEqual({ run: REASONS.complete, step: REASONS.complete, reset: null });
    expect(controlState(ready('ready', 60)).disabledBecause.run).toBe(REASONS.complete);
    expect(controlState(ready('diverged', 7)).disabledBecause).toEqual({ run: REASONS.diverged, step: REASONS.diverged, reset: null });
  });

  it('after a cancel mid-run, run and step are usable again', () => {
    expect(controlState(ready('cancelled', 20)).disabledBecause).toEqual({ run: null, step: null, reset: null });
  });
});

describe('shortcutFor', () => {
  const press = (key: string, more: Partial<KeyPress> = {}): KeyPress => ({
    key, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, repeat: false, target: { tagName: 'BODY' }, ...more,
  });

  it('maps Space, ArrowRight and R to run, step and reset', () => {
    expect(shortcutFor(press(' '))).toBe('run');
    expect(shortcutFor(press('ArrowRight'))).toBe('step');
    expect(shortcutFor(press('r'))).toBe('reset');
    expect(shortcutFor(press('R'))).toBe('reset');
    expect(shortcutFor(press('x'))).toBeNull();
    expect(shortcutFor(press('ArrowLeft'))).toBeNull();
  });

  it('ignores keys typed into inputs, selects, textareas and editable text', () => {
    for (const tagName of ['INPUT', 'SELECT', 'TEXTAREA', 'input']) {
      for (const key of [' ', 'ArrowRight', 'r']) expect(shortcutFor(press(key, { target: { tagName } }))).toBeNull();
    }
    expect(shortcutFor(press('r', { target: { tagName: 'DIV', isContentEditable: true } }))).toBeNull();
  });

  it('ignores key presses with a modifier held, and key repeat', () => {
    for (const modifier of ['ctrlKey', 'metaKey', 'altKey', 'shiftKey'] as const) {
      expect(shortcutFor(press('r', { [modifier]: true }))).toBeNull();
      expect(shortcutFor(press(' ', { [modifier]: true }))).toBeNull();
    }
    expect(shortcutFor(press('ArrowRight', { repeat: true }))).toBeNull();
  });

  it('leaves Space to a focused button or link (it activates them), but still steps and resets there', () => {
    expect(shortcutFor(press(' ', { target: { tagName: 'BUTTON' } }))).toBeNull();
    expect(shortcutFor(press(' ', { target: { tagName: 'A' } }))).toBeNull();
    expect(shortcutFor(press('ArrowRight', { target: { tagName: 'BUTTON' } }))).toBe('step');
    expect(shortcutFor(press('r', { target: { tagName: 'BUTTON' } }))).toBe('reset');
    expect(shortcutFor(press(' ', { target: null }))).toBe('run');
  });
});
