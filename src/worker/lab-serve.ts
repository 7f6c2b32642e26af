// One request message in, its messages out: the worker's side of the protocol without `self`, so
// it is testable in Node. Every request gets exactly one `result` or `error` (errors sorted into the
// protocol's kinds); its events (progress, step, metrics, notice) carry its id; buffers inside a
// result (checkpoint tensors, an exported model's zip) are listed for transfer. Not here: what requests do (lab-engine.ts).
import type { LabEmit } from './lab-engine.ts';
import { transferables, type LabPayload, type LabRequest, type LabRequestType, type LabResponse, type LabResult } from './lab-protocol.ts';
import { labErrorInfo } from './lab-setup.ts';

export interface LabHandler {
  handle<T extends LabRequestType>(type: T, payload: LabPayload<T>, emit: LabEmit): Promise<LabResult<T>>;
}

export type LabPost = (message: LabResponse, transfer: ArrayBuffer[]) => void;

export async function serveLabRequest(engine: LabHandler, request: LabRequest, post: LabPost): Promise<void> {
  const id = typeof request?.id === 'number' ? request.id : -1;
  const emit: LabEmit = (event) => post({ ...event, id } as LabResponse, []);
  let result: LabResult<LabRequestType>;
  try {
    if (!request || typeof request !== 'object' || typeof request.type !== 'string') throw new TypeError('a lab request must be { id, type, payload }');
    result = await engine.handle(request.type, request.payload, emit);
  } catch (error) {
    post({ type: 'error', id, error: labErrorInfo(error) }, []);
    return;
  }
  post({ type: 'result', id, result }, transferables(result));
}
