// Errors the runtime throws, each saying what went wrong and what to do about it: a session that
// would not load (which file, which op), feeds that do not match the graph's inputs (name,
// expected, got), and a backend that became unusable (a lost WebGPU device).
// Not a logging facility: callers decide how to show these.
import type { BackendKind, TensorSpec } from './types.ts';

export class RuntimeError extends Error {
  override name = 'RuntimeError';
}

/** The ONNX session could not be created from `label`. */
export class SessionCreateError extends RuntimeError {
  override name = 'SessionCreateError';
  constructor(
    readonly label: string,
    readonly backend: BackendKind,
    readonly op: string | null,
    cause: unknown,
  ) {
    super(describeCreateFailure(label, backend, op, cause), { cause });
  }
}

/** The feeds given to `run` do not match the graph inputs. */
export class FeedMismatchError extends RuntimeError {
  override name = 'FeedMismatchError';
  constructor(readonly label: string, readonly problems: readonly string[]) {
    super(`feeds do not match the inputs of ${label}:\n  - ${problems.join('\n  - ')}\n` +
      'Pass exactly the inputs the graph declares, with their dtype and shape (training graphs have static shapes: pad batches to the bucket size).');
  }
}

/** The backend can no longer run anything (the WebGPU device was lost). */
export class BackendLostError extends RuntimeError {
  override name = 'BackendLostError';
  constructor(readonly backend: BackendKind, readonly reason: string) {
    super(`the ${backend} backend is no longer usable: ${reason}. ` +
      'Weights kept on the GPU are gone: reload the page (or reopen the runtime) and resume from the last checkpoint, ' +
      "or choose the 'wasm' backend if this keeps happening.");
  }
}

/** Picks the failing op (and node name when given) out of onnxruntime's messages. */
export function failingOpOf(message: string): string | null {
  const withNode: [RegExp, number, number][] = [
    [/implementation for (\w+)\(\d+\) node with name '([^']*)'/, 1, 2], // kernel missing on this backend
    [/\("([^"]*)", (\w+), "[^"]*", -?\d+\)/, 2, 1], // onnx checker: ("node", OpType, "domain", -1)
    [/\(op_type:(\w+), node name: ([^)]*)\)/, 1, 2], // shape inference
  ];
  for (const [pattern, opGroup, nodeGroup] of withNode) {
    const match = pattern.exec(message);
    if (match) return `${match[opGroup]} (node ${match[nodeGroup]})`;
  }
  const opOnly = /No Op registered for (\w+)/.exec(message);
  return opOnly ? opOnly[1] : null;
}

function describeCreateFailure(label: string, backend: BackendKind, op: string | null, cause: unknown): string {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const where = op ? ` at op ${op}` : '';
  const hint = op
    ? `The ${backend} backend rejected that op: emit it with supported ops, or pick another backend.`
    : 'Check that the file is a complete ONNX model (opset 17) and that any external data was passed with it.';
  return `could not create an ONNX session from ${label} on ${backend}${where}: ${reason.trim()}\n${hint}`;
}

/** Formats a spec or a tensor's dtype and shape like `float32[4,256]`. */
export function describeSpec(type: string, shape: readonly (number | string)[]): string {
  return `${type}[${shape.join(',')}]`;
}

export function describeInputs(inputs: readonly TensorSpec[]): string {
  return inputs.map((spec) => `${spec.name}: ${describeSpec(spec.type, spec.shape)}`).join(', ');
}
