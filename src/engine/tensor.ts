// Core value types of the graph builder: dtypes, shapes, attributes, the Tensor handle and the node
// record. A Tensor is only a symbolic handle (id, shape, dtype, producer); it never holds numbers.
// Not here: building nodes (graph.ts), shape rules (shape.ts), any maths.
import type { Graph } from './graph.ts';

/** Floating dtypes a graph can be built in; float64 exists for finite-difference tests. */
export type FloatDType = 'float32' | 'float64';
export type DType = FloatDType | 'int64' | 'bool';

/** A dimension: a static size, or a symbolic name (e.g. 'batch') kept as ONNX `dim_param`. */
export type Dim = number | string;
export type Shape = readonly Dim[];

/** Host data for constants, parameter values and feeds. */
export type TensorData = Float32Array | Float64Array | BigInt64Array | Uint8Array;

export type Attr =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'ints'; readonly value: readonly number[] }
  | { readonly kind: 'floats'; readonly value: readonly number[] }
  | { readonly kind: 'string'; readonly value: string };

export const attr = {
  int: (value: number): Attr => ({ kind: 'int', value }),
  float: (value: number): Attr => ({ kind: 'float', value }),
  ints: (value: readonly number[]): Attr => ({ kind: 'ints', value }),
  floats: (value: readonly number[]): Attr => ({ kind: 'floats', value }),
  string: (value: string): Attr => ({ kind: 'string', value }),
};

/** Where a tensor comes from: a graph input, a parameter, a constant or an op node. */
export type TensorKind = 'input' | 'param' | 'const' | 'node';

/** One ONNX node (default domain). Inputs and outputs are tensors of the same graph. */
export interface OpNode {
  readonly id: number;
  readonly op: string;
  readonly inputs: readonly Tensor[];
  readonly outputs: readonly Tensor[];
  readonly attrs: Readonly<Record<string, Attr>>;
}

export class Tensor {
  constructor(
    readonly graph: Graph,
    readonly id: number,
    /** The ONNX value name (unique in the graph). */
    readonly name: string,
    readonly shape: Shape,
    readonly dtype: DType,
    readonly kind: TensorKind,
    /** The node that computes this tensor; null for inputs, params and constants. */
    readonly producer: OpNode | null = null,
  ) {}

  get rank(): number {
    return this.shape.length;
  }

  /** True when every dimension is a number. */
  get isStatic(): boolean {
    return this.shape.every((d) => typeof d === 'number');
  }

  /** Element count; throws for symbolic shapes. */
  get size(): number {
    let n = 1;
    for (const d of this.shape) {
      if (typeof d !== 'number') throw new Error(`tensor ${this.name} has symbolic dim '${d}': size is unknown`);
      n *= d;
    }
    return n;
  }

  isFloat(): boolean {
    return this.dtype === 'float32' || this.dtype === 'float64';
  }

  toString(): string {
    return `${this.name}${formatShape(this.shape)}:${this.dtype}`;
  }
}

export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}
