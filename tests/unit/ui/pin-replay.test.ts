// A link's pinned runs replayed (pin-replay.svelte.ts) against a stand-in session and shelf: each pin
// is prepared with its own settings, run to its step (all of them, or `at` steps one by one) and
// evaluated, then pinned; the controls are held with the reason meanwhile; setting changes made
// during it are applied to the link's own experiment at the end; Cancel stops the run and pins nothing.
import { describe, expect, it } from 'vitest';
import { DEFAULT_EXPERIMENT, pinHash, type LabExperiment } from '../../../src/ui/lab/lab-hash.ts';
import { PinReplay } from '../../../src/ui/lab/pin-replay.svelte.ts';
import type { CompareShelf } from '../../../src/ui/lab/compare.svelte.ts';
import type { LabSession } from '../../../src/ui/lab/lab-session.svelte.ts';
import type { PinnedRun } from '../../../src/ui/lab/pin-store.ts';
import { withMethod, withSetting } from '../../../src/unlearning/run-config.ts';

type Status = { state: 'ready' | 'running' | 'done' | 'cancelled'; step: number; totalSteps: number };

/** The LabSession fields and actions the replay uses; `log` records what it was asked, with the hold at that moment. */
class StandInSession {
  experiment: LabExperiment = { ...DEFAULT_EXPERIMENT, method: 'ga' } as LabExperiment;
  phase = 'ready';
  configured: object | null = {};
  configuring = false;
  status: Status | null = { state: 'ready', step: 0, totalSteps: 5 };
  evaluation: { step: number } | null = null;
  error: string | null = null;
  hold: string | null = null;
  notices: string[] = [];
  log: string[] = [];
  /** While set, play() waits for a cancel. */
  blockPlay = false;
  playing: Promise<void> | null = null;
  private cancelRun: (() => void) | null = null;
  get running() { return this.status?.state === 'running'; }
  paused = false;
  get canStep() { return !!this.status && this.status.step < this.status.totalSteps; }

  async configure() {
    this.log.push(`configure ${this.experiment.method} steps=${this.experiment.settings.steps} held=${this.hold !== null}`);
    this.status = { state: 'ready', step: 0, totalSteps: Number(this.experiment.settings.steps) };
    this.evaluation = null;
  }
  async play() {
    this.log.push(`play held=${this.hold !== null}`);
    this.status = { ...this.status!, state: 'running' };
    if (this.blockPlay) {
      this.playing = new Promise<void>((resolve) => (this.cancelRun = resolve));
      await this.playing;
      this.status = { ...this.status!, state: 'cancelled', step: 2 };
      return;
    }
    this.status = { ...this.status!, state: 'done', step: this.status!.totalSteps };
    await this.evaluate();
  }
  async step() {
    this.log.push('step');
    this.status = { ...this.status!, step: this.status!.step + 1 };
  }
  async evaluate() {
    this.log.push(`evaluate ${this.status!.step}`);
    this.evaluation = { step: this.status!.step };
  }
  settled() { return Promise.resolve(); }
  notify(message: string) { this.notices.push(message); }
  async request(type: string) {
    this.log.push(type);
    if (type === 'cancel') this.cancelRun?.();
  }
  start(experiment: LabExperiment) { this.log.push(`start ${experiment.backend}`); }
}

class StandInShelf {
  pins: { method: string; step: number }[] = [];
  async pin(session: StandInSession) {
    this.pins.push({ method: session.experiment.method, step: session.status!.step });
    return { id: String(this.pins.length), hash: `pinned-${this.pins.length}` } as PinnedRun;
  }
}

function setup() {
  const session = new StandInSession();
  const shelf = new StandInShelf();
  const replay = new PinReplay(session as unknown as LabSession, shelf as unknown as CompareShelf);
  return { session, shelf, replay };
}
const short = (method: 'ga' | 'npo') => ({ ...withSetting(withMethod(DEFAULT_EXPERIMENT, method), 'steps', 5), backend: 'wasm' }) as LabExperiment;

describe('replaying the pins of a link', () => {
  it('runs each pin to its step with the controls held, pins it, then prepares the link\'s own experiment with the changes made meanwhile', async () => {
    const { session, shelf, replay } = setup();
    const home = session.experiment;
    const pinned: [string, string][] = [];
    const done = replay.replay([pinHash(short('ga')), pinHash(short('npo'), 3, 5)], (hash, pin) => pinned.push([hash, pin.hash]));
    expect(replay.active).toBe(true);
    replay.queue({ seed: 7 });
    await done;
    expect(session.log).toEqual([
      'configure ga steps=5 held=true', 'play held=true', 'evaluate 5',
      'configure npo steps=5 held=true', 'step', 'step', 'step', 'evaluate 3',
      `configure ${home.method} steps=${home.settings.steps} held=false`,
    ]);
    expect(shelf.pins).toEqual([{ method: 'ga', step: 5 }, { method: 'npo', step: 3 }]);
    expect(pinned).toEqual([[pinHash(short('ga')), 'pinned-1'], [pinHash(short('npo'), 3, 5), 'pinned-2']]);
    expect(session.experiment).toEqual({ ...home, seed: 7 });
    expect(session.hold).toBeNull();
    expect(replay.active).toBe(false);
  });

  it('stops on Cancel: the run is cancelled, nothing is pinned, the link\'s own experiment is prepared again', async () => {
    const { session, shelf, replay } = setup();
    session.blockPlay = true;
    const done = replay.replay([pinHash(short('npo')), pinHash(short('ga'))], () => {});
    await expect.poll(() => session.playing !== null).toBe(true);
    expect(session.hold).toMatch(/pin 1 of 2/);
    await replay.cancel();
    await done;
    expect(session.log.filter((l) => !l.startsWith('configure'))).toEqual(['play held=true', 'cancel']);
    expect(session.log.at(-1)).toBe('configure ga steps=' + session.experiment.settings.steps + ' held=false');
    expect(shelf.pins).toEqual([]);
    expect(session.notices).toEqual([]);
    expect(session.hold).toBeNull();
  });

  it('skips a pin whose link entry cannot be read, and says so', async () => {
    const { session, shelf, replay } = setup();
    await replay.replay([`${pinHash(short('ga'))}&lr=lots`], () => {});
    expect(shelf.pins).toEqual([]);
    expect(session.notices).toEqual([expect.stringMatching(/^pin 1 of the link was not replayed: its lr=lots could not be used/)]);
  });
});
