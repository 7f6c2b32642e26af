// Checks feeds against a session's declared inputs before onnxruntime sees them, so a wrong shape
// fails with the input's name, the expected dtype/shape and what was given (ORT's own messages name
// an index, not the cause). Also converts host tensors into ORT tensors. Not a broadcasting helper:
// shapes must match exactly, except symbolic dims, which accept any size.
import { FeedMismatchError, describeSpec } from './errors.ts';
import type { HostTensor, OrtModule, OrtTensor, TensorSpec, TensorType } from './types.ts';

/** Something that can be fed: host bytes, or a tensor the runtime already holds (maybe on the GPU). */
export interface FeedLike {
  readonly type: string;
  readonly dims: readonly number[];
}

const elementCountOf = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

/** Every problem with `feeds` for `inputs`; empty when they match. */
export function feedProblems(inputs: readonly TensorSpec[], feeds: Readonly<Record<string, FeedLike>>): string[] {
  const problems: string[] = [];
  const declared = new Set(inputs.map((spec) => spec.name));
  for (const spec of inputs) {
    const feed = feeds[spec.name];
    if (!feed) {
      problems.push(`input "${spec.name}" is missing (expected ${describeSpec(spec.type, spec.shape)})`);
      continue;
    }
    const expected = describeSpec(spec.type, spec.shape);
    const got = describeSpec(feed.type, feed.dims);
    if (spec.type !== 'unknown' && feed.type !== spec.type) {
      problems.push(`input "${spec.name}": expected ${expected}, got ${got} (wrong dtype)`);
    } else if (!shapeMatches(spec.shape, feed.dims)) {
      problems.push(`input "${spec.name}": expected ${expected}, got ${got}`);
    }
  }
  for (const name of Object.keys(feeds)) {
    if (!declared.has(name)) {
      problems.push(`"${name}" is not an input of this graph (inputs: ${[...declared].join(', ')})`);
    }
  }
  return problems;
}

/** Throws FeedMismatchError listing every problem at once. */
export function assertFeedsMatch(label: string, inputs: readonly TensorSpec[], feeds: Readonly<Record<string, FeedLike>>): void {
  const problems = feedProblems(inputs, feeds);
  if (problems.length > 0) throw new FeedMismatchError(label, problems);
}

function shapeMatches(expected: readonly (number | string)[], got: readonly number[]): boolean {
  // ORT reports an unknown rank as [], which then accepts any shape.
  if (expected.length === 0 && got.length !== 0) return true;
  if (expected.length !== got.length) return false;
  return expected.every((dim, i) => typeof dim === 'string' || dim < 0 || dim === got[i]);
}

/** Checks that a host tensor's data length equals the product of its dims. */
export function assertConsistent(name: string, tensor: HostTensor): void {
  const expected = elementCountOf(tensor.dims);
  if (tensor.data.length !== expected) {
    throw new FeedMismatchError(name, [
      `tensor "${name}" has ${tensor.data.length} elements but dims [${tensor.dims.join(',')}] need ${expected}`,
    ]);
  }
}

/** Wraps host bytes in an ORT tensor of the given module (no copy of the data). */
export function toOrtTensor(ort: OrtModule, name: string, tensor: HostTensor): OrtTensor {
  assertConsistent(name, tensor);
  return new ort.Tensor(tensor.type, tensor.data, tensor.dims);
}

export function isTensorType(type: string): type is TensorType {
  return ['float32', 'float64', 'float16', 'int64', 'int32', 'int8', 'uint8', 'bool'].includes(type);
}
