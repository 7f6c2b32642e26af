// Drives an emitted training-step graph: state inputs X (params, optimizer moments) come back as
// outputs `new_X` and are fed to the next step without leaving the device (GPU buffers on WebGPU,
// ORT tensors elsewhere); only loss, grad_norm and finite are read back. A step whose `finite`
// flag is false (or whose loss is not finite) keeps the previous state, whatever the graph returned.
// Not an optimizer: the update rule lives in the graph (src/engine); this only feeds and swaps.
import type { DeviceTensor } from './device-tensor.ts';
import { RuntimeError } from './errors.ts';
import { feedProblems } from './feeds.ts';
import { graphOutputNames } from './onnx-outputs.ts';
import { RunQueue } from './run-queue.ts';
import type { CreateSessionOptions, Runtime } from './runtime.ts';
import type { Feeds, RuntimeSession } from './session.ts';
import type { HostTensor, TensorData, TensorSpec } from './types.ts';

/** Names of the step graph's contract with src/engine. */
export interface TrainStepNames {
  lr: string;
  step: string;
  loss: string;
  gradNorm: string;
  finite: string;
  /** State input X is updated by output `${newPrefix}X`. */
  newPrefix: string;
  /** State inputs with this prefix are weights (the rest is optimizer state), e.g. 'p:embed' vs 'm:embed'. */
  paramPrefix: string;
}

export const DEFAULT_TRAIN_STEP_NAMES: TrainStepNames = {
  lr: 'lr', step: 'step', loss: 'loss', gradNorm: 'grad_norm', finite: 'finite', newPrefix: 'new_', paramPrefix: 'p:',
};

export interface TrainSessionOptions extends Pick<CreateSessionOptions, 'label' | 'externalData' | 'profilePrefix'> {
  /** Values for every state input (params, optimizer state) and any constant input (frozen weights). */
  initial: Readonly<Record<string, HostTensor>>;
  names?: Partial<TrainStepNames>;
  /** Extra scalar outputs read back after every step (e.g. the forget and retain NLL of an objective). */
  monitors?: readonly string[];
}

export interface StepHyper {
  lr: number;
  /** 1-based optimizer step (AdamW bias correction). */
  step: number;
}

export interface StepResult {
  loss: number;
  gradNorm: number;
  /** False when the step was rejected: the state is exactly what it was before the step. */
  finite: boolean;
  /** The `monitors` outputs of this step (computed before the update; present even when rejected). */
  monitors: Record<string, number>;
}

export class TrainSession {
  private readonly steps = new RunQueue();
  private disposed = false;

  private constructor(
    private readonly runtime: Runtime,
    private readonly session: RuntimeSession,
    private readonly names: TrainStepNames,
    /** Inputs updated by every step. */
    readonly stateNames: readonly string[],
    /** Inputs fed the same value every step (frozen weights), uploaded once. */
    readonly constantNames: readonly string[],
    /** Inputs the caller feeds per step (tokens, targets, masks, cached features). */
    readonly batchInputs: readonly TensorSpec[],
    private readonly held: Map<string, DeviceTensor>,
    private readonly monitors: readonly string[],
  ) {}

  static async create(runtime: Runtime, graph: Uint8Array, options: TrainSessionOptions): Promise<TrainSession> {
    const names = { ...DEFAULT_TRAIN_STEP_NAMES, ...options.names };
    const label = options.label ?? 'the training-step graph';
    const keepOnDevice = runtime.keepsOutputsOnDevice ? graphOutputNames(graph).filter((name) => name.startsWith(names.newPrefix)) : [];
    // The session must exist before uploads: on WebGPU it owns the device the buffers live on.
    const session = await runtime.createSession(graph, { ...options, label, keepOnDevice });
    try {
      const roles = classifyInputs(label, session, names, options.initial);
      const outputs = new Set(session.outputs.map((spec) => spec.name));
      const missing = (options.monitors ?? []).filter((name) => !outputs.has(name));
      if (missing.length) throw new RuntimeError(`${label} has no output ${missing.join(', ')} to monitor; outputs: ${[...outputs].join(', ')}`);
      const held = new Map<string, DeviceTensor>();
      for (const name of [...roles.state, ...roles.constants]) {
        held.set(name, await runtime.toDevice(name, options.initial[name]));
      }
      return new TrainSession(runtime, session, names, roles.state, roles.constants, roles.batch, held, options.monitors ?? []);
    } catch (error) {
      await session.dispose();
      throw error;
    }
  }

  get backend(): string {
    return this.runtime.backend;
  }

  /** One optimizer step on one batch. Steps run one after another even if not awaited. */
  step(batch: Readonly<Record<string, HostTensor>>, hyper: StepHyper): Promise<StepResult> {
    return this.steps.enqueue(() => this.stepNow(batch, hyper));
  }

  /** Host copies of state tensors (default: all state), e.g. for a checkpoint. */
  readState(names: readonly string[] = this.stateNames): Promise<Record<string, HostTensor>> {
    return this.steps.enqueue(async () => {
      this.throwIfDisposed();
      const values: Record<string, HostTensor> = {};
      for (const name of names) {
        const tensor = this.held.get(name);
        if (!tensor) throw new RuntimeError(`"${name}" is not held by this TrainSession; held: ${[...this.held.keys()].join(', ')}`);
        values[name] = await tensor.download();
      }
      return values;
    });
  }

  /** Host copies of the weights: state inputs named with the param prefix ('p:'), or all state if none is. */
  readParams(): Promise<Record<string, HostTensor>> {
    const params = this.stateNames.filter((name) => name.startsWith(this.names.paramPrefix));
    return this.readState(params.length > 0 ? params : this.stateNames);
  }

  /** 'gpu-buffer' when the named state or constant input stays on the GPU between steps, else 'cpu'. */
  stateLocation(name: string): string {
    const tensor = this.held.get(name);
    if (!tensor) throw new RuntimeError(`"${name}" is not held by this TrainSession; held: ${[...this.held.keys()].join(', ')}`);
    return tensor.location;
  }

  /** Replaces held values (e.g. restoring a checkpoint). Shapes must match the graph inputs. */
  loadState(values: Readonly<Record<string, HostTensor>>): Promise<void> {
    return this.steps.enqueue(async () => {
      this.throwIfDisposed();
      const specs = this.session.inputs.filter((spec) => spec.name in values);
      const problems = feedProblems(specs, values);
      const unheld = Object.keys(values).filter((name) => !this.held.has(name));
      if (unheld.length) problems.push(`not state or constant inputs: ${unheld.join(', ')}`);
      if (problems.length) throw new RuntimeError(`loadState: ${problems.join('; ')}`);
      for (const [name, value] of Object.entries(values)) {
        const uploaded = await this.runtime.toDevice(name, value);
        this.held.get(name)!.dispose();
        this.held.set(name, uploaded);
      }
    });
  }

  /** Sessions created with `profilePrefix` (cpu): writes ORT's JSON profile of the steps so far. */
  endProfiling(): void {
    this.session.endProfiling();
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.steps.idle();
    for (const tensor of this.held.values()) tensor.dispose();
    this.held.clear();
    await this.session.dispose();
  }

  /**
   * Runs the step graph once on `batch` and keeps nothing: the state stays exactly as it was. A
   * session's first run pays onnxruntime's one-time set-up; this lets a caller pay it in spare time.
   */
  warmUp(batch: Readonly<Record<string, HostTensor>>, hyper: StepHyper): Promise<void> {
    return this.steps.enqueue(async () => {
      this.throwIfDisposed();
      const outputs = await this.session.runOnDevice(this.feedsOf(batch, hyper));
      const held = [...this.held.values()];
      for (const tensor of Object.values(outputs)) if (!held.some((h) => sameStorage(h, tensor))) tensor.dispose();
    });
  }

  private feedsOf(batch: Readonly<Record<string, HostTensor>>, hyper: StepHyper): Feeds {
    const overlap = Object.keys(batch).filter((name) => this.held.has(name) || name === this.names.lr || name === this.names.step);
    if (overlap.length) throw new RuntimeError(`batch feeds must not include ${overlap.join(', ')}: the TrainSession feeds those itself`);
    return {
      ...batch,
      ...Object.fromEntries(this.held),
      [this.names.lr]: scalarFor(this.specOf(this.names.lr), hyper.lr),
      [this.names.step]: scalarFor(this.specOf(this.names.step), hyper.step),
    };
  }

  private async stepNow(batch: Readonly<Record<string, HostTensor>>, hyper: StepHyper): Promise<StepResult> {
    this.throwIfDisposed();
    const outputs = await this.session.runOnDevice(this.feedsOf(batch, hyper));
    const { names } = this;
    const read = [names.loss, names.gradNorm, names.finite, ...this.monitors];
    const [loss, gradNorm, flag, ...watched] = await Promise.all(read.map((name) => outputs[name].download()));
    const monitors = Object.fromEntries(this.monitors.map((name, i) => [name, firstNumber(watched[i])]));
    const result: StepResult = { loss: firstNumber(loss), gradNorm: firstNumber(gradNorm), finite: firstNumber(flag) !== 0, monitors };
    result.finite &&= Number.isFinite(result.loss) && Number.isFinite(result.gradNorm);
    for (const name of this.stateNames) {
      const next = outputs[names.newPrefix + name];
      if (!result.finite) {
        next.dispose();
        continue;
      }
      const previous = this.held.get(name)!;
      if (!sameStorage(previous, next)) previous.dispose();
      this.held.set(name, next);
    }
    // Every output that is not carried state is released here (loss, monitors, unread extras).
    const carried = new Set(this.stateNames.map((name) => names.newPrefix + name));
    for (const [name, tensor] of Object.entries(outputs)) if (!carried.has(name)) tensor.dispose();
    return result;
  }

  private specOf(name: string): TensorSpec {
    return this.session.inputs.find((spec) => spec.name === name)!;
  }

  private throwIfDisposed(): void {
    if (this.disposed) throw new RuntimeError('this TrainSession was disposed: create a new one');
  }
}

interface InputRoles {
  state: string[];
  constants: string[];
  batch: TensorSpec[];
}

function classifyInputs(label: string, session: RuntimeSession, names: TrainStepNames, initial: Readonly<Record<string, HostTensor>>): InputRoles {
  const problems: string[] = [];
  const inputNames = new Set(session.inputs.map((spec) => spec.name));
  const outputNames = new Set(session.outputs.map((spec) => spec.name));
  for (const required of [names.loss, names.gradNorm, names.finite]) {
    if (!outputNames.has(required)) problems.push(`output "${required}" is missing`);
  }
  for (const required of [names.lr, names.step]) {
    if (!inputNames.has(required)) problems.push(`input "${required}" is missing`);
  }
  const roles: InputRoles = { state: [], constants: [], batch: [] };
  for (const spec of session.inputs) {
    if (spec.name === names.lr || spec.name === names.step) continue;
    const isState = outputNames.has(names.newPrefix + spec.name);
    if (isState) roles.state.push(spec.name);
    else if (spec.name in initial) roles.constants.push(spec.name);
    else roles.batch.push(spec);
    if (isState && !(spec.name in initial)) problems.push(`no initial value for state input "${spec.name}"`);
  }
  for (const name of Object.keys(initial)) {
    if (!inputNames.has(name)) problems.push(`initial value "${name}" is not an input of the graph`);
  }
  problems.push(...feedProblems(session.inputs.filter((spec) => spec.name in initial), initial));
  if (problems.length) {
    throw new RuntimeError(`${label} does not fit the training-step contract:\n  - ${problems.join('\n  - ')}\n` +
      `Expected inputs ${names.lr}, ${names.step}, each state input X with an output ${names.newPrefix}X, ` +
      `and outputs ${names.loss}, ${names.gradNorm}, ${names.finite}.`);
  }
  return roles;
}

function scalarFor(spec: TensorSpec, value: number): HostTensor {
  const dims = spec.shape.map(() => 1);
  const data: TensorData = spec.type === 'int64' ? BigInt64Array.of(BigInt(Math.round(value)))
    : spec.type === 'int32' ? Int32Array.of(value)
    : spec.type === 'float64' ? Float64Array.of(value)
    : Float32Array.of(value);
  return { type: spec.type === 'unknown' ? 'float32' : spec.type, dims, data };
}

function firstNumber(tensor: HostTensor): number {
  const value = tensor.data[0];
  return typeof value === 'bigint' ? Number(value) : value;
}

function sameStorage(a: DeviceTensor, b: DeviceTensor): boolean {
  if (a.ortValue === b.ortValue) return true;
  return a.location === 'gpu-buffer' && b.location === 'gpu-buffer' && a.ortValue.gpuBuffer === b.ortValue.gpuBuffer;
}
