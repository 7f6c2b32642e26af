// The lab page's state: one LabClient (the worker owns models, runs and evaluation), the experiment
// from the URL hash, and everything the panels show, as Svelte runes: load progress and backend,
// the world and the method registry, the configured run, every step and live-metrics point, the
// latest PEBench report, notices and errors. Every action is a worker request; nothing heavy runs on
// the main thread. Not here: checkpoints (lab-checkpoints.svelte.ts), drawing (the .svelte panels).
import type { UnlearnStep } from '../../unlearning/driver.ts';
import type {
  LabBackend, LabMetrics, LabPayload, LabProgress, LabRequestType, LabResult, LabState, ProbeImage, RunStatus, WorldSummary,
} from '../../worker/lab-protocol.ts';
import { LabClient, LabClientError, labWorker, type RequestOptions } from '../lab-client.ts';
import { downloadModelFiles } from './model-download.ts';
import { DEFAULT_EXPERIMENT, runConfigOf, type LabExperiment, type UiBackend } from './lab-hash.ts';

export const MODEL_URL = 'models/pebench-tiny/';
/** Dispatched on window once the first run is prepared or loading failed (the offline copy waits for it). */
export const LAB_SETTLED_EVENT = 'pebench:lab-settled';

export type LabPhase = 'starting' | 'loading' | 'ready' | 'failed';

export interface ProbeResult {
  question: string;
  image: ProbeImage | null;
  answer: LabResult<'ask'>;
  ms: number;
}

export class LabSession {
  experiment = $state<LabExperiment>({ ...DEFAULT_EXPERIMENT });
  phase = $state<LabPhase>('starting');
  progress = $state<LabProgress | null>(null);
  loaded = $state<LabResult<'load'> | null>(null);
  configured = $state<LabResult<'configure'> | null>(null);
  configuring = $state(false);
  status = $state<RunStatus | null>(null);
  steps = $state<UnlearnStep[]>([]);
  metrics = $state<LabMetrics[]>([]);
  evaluation = $state<LabResult<'evaluate'> | null>(null);
  evaluating = $state<LabProgress | null>(null);
  probe = $state<ProbeResult | null>(null);
  asking = $state(false);
  /** Probe answers received so far (automation waits on it). */
  probeCount = $state(0);
  notices = $state<string[]>([]);
  error = $state<string | null>(null);
  /** ms from page start to `ready` (performance.now at load result). */
  readyAt = $state<number | null>(null);
  /** ms from page start to the moment the first step could be taken (the run prepared). */
  stepReadyAt = $state<number | null>(null);
  /** What is being prepared in the background and how far (null when nothing is); never blocks a step or the probe. */
  preparing = $state<LabProgress | null>(null);
  /** Why the user's actions wait (e.g. the link's pinned runs are being replayed), or null: the controls show it. */
  hold = $state<string | null>(null);

  readonly world = $derived<WorldSummary | null>(this.loaded?.world ?? null);
  readonly backend = $derived<LabBackend | null>(this.loaded?.backend ?? null);
  readonly running = $derived(this.status?.state === 'running');
  readonly paused = $derived(this.status?.state === 'paused');
  readonly canStep = $derived(
    !!this.configured && !this.configuring && !this.running && this.status !== null
      && this.status.state !== 'diverged' && this.status.step < this.status.totalSteps,
  );

  private client: LabClient | null = null;
  private configureToken = 0;
  /** The latest background preparation (never rejects). */
  private background: Promise<void> = Promise.resolve();
  /** Bumped by every background preparation: only the newest one shows its progress. */
  private backgroundToken = 0;
  /** Bumped by every action (step, run, reset): only the newest one's answer sets the status. */
  private actToken = 0;

  /** `makeClient` starts the worker for a backend (default: the lab's module worker, named for it). */
  constructor(private readonly makeClient: (backend: UiBackend) => LabClient = (backend) => new LabClient(labWorker(backend))) {}

  /** Starts the worker and loads the model on the experiment's backend, then prepares its run. */
  async start(experiment: LabExperiment): Promise<void> {
    this.experiment = experiment;
    this.client?.terminate();
    const client = (this.client = this.makeClient(experiment.backend));
    // A later start (e.g. another backend chosen meanwhile) replaces this one: it then stops quietly.
    const superseded = () => this.client !== client;
    // A new worker knows nothing yet: drop what the old one had prepared.
    this.loaded = null;
    this.configured = null;
    this.status = null;
    this.steps = [];
    this.metrics = [];
    this.evaluation = null;
    this.probe = null;
    this.phase = 'loading';
    this.error = null;
    try {
      // The worker starts its backend as it starts; meanwhile this thread downloads the model.
      const modelUrl = new URL(MODEL_URL, document.baseURI).href;
      const files = await downloadModelFiles(modelUrl);
      if (superseded()) return;
      const loaded = await client.request('load', { modelUrl, backend: experiment.backend, files }, {
        onProgress: (p) => (this.progress = p),
        transfer: Object.values(files),
      });
      if (superseded()) return;
      this.loaded = loaded;
      this.readyAt = performance.now();
      this.phase = 'ready';
      if (this.loaded.fallback) this.notify(this.loaded.fallback);
    } catch (error) {
      if (superseded()) return;
      this.phase = 'failed';
      this.error = explain(error, 'loading the model');
      window.dispatchEvent(new Event(LAB_SETTLED_EVENT));
      return;
    }
    await this.configure();
    await this.background;
    // The offline copy (tens of MB) waits until the first run is prepared, background work included:
    // it would compete for the cores.
    if (!superseded()) window.dispatchEvent(new Event(LAB_SETTLED_EVENT));
  }

  /** (Re)prepares the run for the current experiment; earlier steps are dropped. */
  async configure(): Promise<void> {
    const client = this.client;
    if (!client || !this.loaded) return;
    const token = ++this.configureToken;
    this.configuring = true;
    this.preparing = { phase: 'preparing the run', done: 0, total: 1 };
    this.error = null;
    try {
      // A snapshot: the experiment is a $state proxy, which postMessage cannot clone.
      const result = await client.request('configure', runConfigOf($state.snapshot(this.experiment)), { onProgress: (p) => (this.progress = p) });
      if (token !== this.configureToken) return;
      this.configured = result;
      this.steps = [];
      this.metrics = result.metrics ? [result.metrics] : [];
      this.evaluation = null;
      this.status = { state: 'ready', step: 0, totalSteps: result.totalSteps, last: null };
      this.stepReadyAt ??= performance.now();
    } catch (error) {
      if (token === this.configureToken) this.error = explain(error, 'preparing the run');
    } finally {
      if (token === this.configureToken) {
        this.configuring = false;
        this.preparing = null;
      }
    }
    if (token === this.configureToken && this.configured) this.background = this.prepareInBackground(client, !this.configured.metrics);
  }

  /**
   * What the worker prepares in its spare turns once a run is prepared (steps and probes go first):
   * step 0's live metrics (after a configure that did not bring them), then what later steps need.
   * Its progress shows in `preparing`; a newer configure, reset or restore supersedes it.
   */
  private async prepareInBackground(client: LabClient, stepZero: boolean): Promise<void> {
    const token = ++this.backgroundToken;
    const current = () => token === this.backgroundToken && this.client === client;
    const show = (p: LabProgress) => current() && (this.preparing = p);
    try {
      if (stepZero) {
        show({ phase: 'measuring the Finetune model (step 0)', done: 0, total: 1 });
        const metrics = await client.request('metrics', {}, { onProgress: show });
        if (current()) this.metrics = [metrics, ...this.metrics.filter((m) => m.step > metrics.step)];
      }
      if (current()) await client.request('warm', {}, { onProgress: show });
    } catch (error) {
      if (current() && !(error instanceof LabClientError && error.kind === 'cancelled')) this.notify(explain(error, 'preparing in the background'));
    } finally {
      if (current()) this.preparing = null;
    }
  }

  /** Settles when the latest background preparation (step 0's metrics, then warming up) has. */
  settled(): Promise<void> {
    return this.background;
  }

  async step(): Promise<void> {
    await this.act('step', () => this.client!.request('step', {}, this.stepEvents()));
  }

  /** Runs to the last step, then evaluates; while running, pauses or resumes. */
  async play(): Promise<void> {
    if (this.running || this.paused) return this.pauseOrResume();
    const finished = await this.act('run', () => {
      const done = this.client!.request('run', {}, this.stepEvents());
      this.status = this.status && { ...this.status, state: 'running' };
      return done;
    });
    if (finished?.state === 'done') await this.evaluate();
  }

  async pauseOrResume(): Promise<void> {
    if (!this.client) return;
    if (this.running) this.status = await this.client.request('pause', {});
    else if (this.paused) this.status = await this.client.request('resume', {});
  }

  async reset(): Promise<void> {
    const status = await this.act('reset', async () => {
      if (this.status?.state === 'running' || this.status?.state === 'paused') await this.client!.request('cancel', {}).catch(() => null);
      return this.client!.request('reset', {});
    });
    if (!status) return;
    this.steps = [];
    this.metrics = this.metrics.filter((m) => m.step === 0);
    this.evaluation = null;
    if (this.client) this.background = this.prepareInBackground(this.client, false);
  }

  async evaluate(): Promise<void> {
    if (!this.client || !this.configured || this.evaluating) return;
    this.evaluating = { phase: 'evaluate', done: 0, total: 2 };
    try {
      this.evaluation = await this.client.request('evaluate', {}, { onProgress: (p) => (this.evaluating = p) });
    } catch (error) {
      this.error = explain(error, 'evaluating');
    } finally {
      this.evaluating = null;
    }
  }

  async ask(question: string, image: ProbeImage | null): Promise<void> {
    if (!this.client || this.phase !== 'ready') return;
    this.asking = true;
    const t0 = performance.now();
    try {
      const answer = await this.client.request('ask', { question, image });
      // The probe re-asks its question after steps: say what it does not know once, and clear only a failed ask.
      const repeated = this.probe?.question === question;
      this.probe = { question, image, answer, ms: performance.now() - t0 };
      this.probeCount++;
      if (answer.unknownWords.length && !repeated) this.notify(`the model does not know the words ${answer.unknownWords.map((w) => `"${w}"`).join(', ')} (read as <unk>)`);
      if (this.error?.startsWith('asking failed')) this.error = null;
    } catch (error) {
      this.error = explain(error, 'asking');
    } finally {
      this.asking = false;
    }
  }

  /** Refreshes the live metrics after a restore or reset (the worker caches step 0's). */
  async refreshMetrics(): Promise<void> {
    if (!this.client || !this.configured) return;
    const metrics = await this.client.request('metrics', {}).catch(() => null);
    if (metrics) this.metrics = [...this.metrics.filter((m) => m.step < metrics.step), metrics];
  }

  /** A plain worker request (checkpoints use state and exportModel; the relearning attack its progress). */
  request<T extends LabRequestType>(type: T, payload: LabPayload<T>, options: RequestOptions = {}): Promise<LabResult<T>> {
    if (!this.client || !this.loaded) return Promise.reject(new Error('the model is not loaded yet: wait until it is ready'));
    return this.client.request(type, payload, options);
  }

  /** Puts a saved state back: stops any run, re-prepares the run when the state's experiment differs, then restores. */
  async restoreState(state: LabState, experiment: LabExperiment): Promise<void> {
    if (!this.client) throw new Error('the lab is not started');
    if (this.running || this.paused) await this.client.request('cancel', {}).catch(() => null);
    if (JSON.stringify(experiment) !== JSON.stringify(this.experiment) || !this.configured) {
      this.experiment = experiment;
      await this.configure();
      if (!this.configured) throw new Error(this.error ?? 'the run could not be prepared');
    }
    this.status = await this.client.request('restore', { state });
    this.steps = [];
    this.metrics = this.metrics.filter((m) => m.step === 0);
    this.evaluation = null;
    await this.refreshMetrics();
  }

  notify(message: string): void {
    this.notices = [...this.notices.slice(-4), message];
  }

  dispose(): void {
    this.client?.terminate();
    this.client = null;
  }

  private stepEvents() {
    return {
      onStep: (step: UnlearnStep) => {
        this.steps = [...this.steps.filter((s) => s.step < step.step), step];
        if (this.status) this.status = { ...this.status, step: step.step, last: step };
      },
      onMetrics: (metrics: LabMetrics) => {
        this.metrics = [...this.metrics.filter((m) => m.step < metrics.step), metrics];
      },
      onNotice: (notice: string) => this.notify(notice),
    };
  }

  /**
   * Sends an action and shows the status it answers, unless a newer action began meanwhile (a step's
   * answer comes after its live metrics: by then a Run may be going, whose status is the news). A
   * run's own end always shows (a step taken while it was paused does not hide it).
   */
  private async act<T extends RunStatus>(what: string, send: () => Promise<T>): Promise<T | null> {
    if (!this.client || !this.configured) return null;
    const token = ++this.actToken;
    try {
      const status = await send();
      if (token !== this.actToken && what !== 'run') return status;
      this.status = status;
      this.error = status.reason && status.state === 'diverged' ? `the run diverged: ${status.reason}` : null;
      return status;
    } catch (error) {
      if (error instanceof LabClientError && error.kind === 'cancelled') return null;
      this.error = explain(error, what);
      return null;
    }
  }
}

function explain(error: unknown, doing: string): string {
  const message = error instanceof Error ? error.message : String(error);
  return `${doing} failed: ${message}`;
}
