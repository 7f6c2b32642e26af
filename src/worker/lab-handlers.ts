// The worker's dispatch table: one entry per request type of the protocol, each calling the engine
// method that answers it. Its type maps every LabRequestType to a handler of that request's payload
// and result, so the compiler refuses a missing, extra or mistyped entry, and the list of valid
// requests (LAB_REQUEST_TYPES) is the table's keys. Not here: what the requests do (lab-engine.ts).
import type { LabEmit, LabEngine } from './lab-engine.ts';
import type { LabPayload, LabRequestType, LabResult } from './lab-protocol.ts';

export type LabRequestHandler<T extends LabRequestType> = (engine: LabEngine, payload: LabPayload<T>, emit: LabEmit) => Promise<LabResult<T>>;
export type LabRequestHandlers = { readonly [T in LabRequestType]: LabRequestHandler<T> };

export const LAB_REQUEST_HANDLERS: LabRequestHandlers = {
  load: (engine, payload, emit) => engine.load(payload, emit),
  configure: (engine, payload, emit) => engine.configure(payload, emit),
  ask: (engine, payload) => engine.ask(payload),
  step: (engine, payload, emit) => engine.step(payload, emit),
  run: (engine, payload, emit) => engine.run(payload, emit),
  pause: (engine) => engine.pause(),
  resume: (engine) => engine.resume(),
  cancel: (engine) => engine.cancel(),
  reset: (engine) => engine.reset(),
  evaluate: (engine, payload, emit) => engine.evaluate(payload, emit),
  state: (engine) => engine.state(),
  weights: (engine) => engine.weights(),
  saveCheckpoint: (engine, payload) => engine.saveCheckpoint(payload),
  metrics: (engine, payload, emit) => engine.metrics(payload, emit),
  warm: (engine, payload, emit) => engine.warm(payload, emit),
  exportModel: (engine, payload) => engine.exportModel(payload),
  restore: (engine, payload) => engine.restore(payload),
  relearn: (engine, payload, emit) => engine.relearn(payload, emit),
};

/** Every request the engine answers, for checking a message's type at run time. */
export const LAB_REQUEST_TYPES: ReadonlySet<string> = new Set(Object.keys(LAB_REQUEST_HANDLERS));

/** The handler of `type`, or null when the protocol has no such request (an untyped message). */
export function labRequestHandler<T extends LabRequestType>(type: T): LabRequestHandler<T> | null {
  return LAB_REQUEST_TYPES.has(type) ? LAB_REQUEST_HANDLERS[type] : null;
}
