// The graph under construction: inputs, parameters (trainable or frozen, with optional host values),
// constants, op nodes in creation (= topological) order and named outputs.
// Not here: op semantics and shape checks (ops/*), gradients (autodiff.ts), serialisation (onnx-export.ts).
import { ShapeError, staticSize } from './shape.ts';
import { Tensor, formatShape, type Attr, type DType, type FloatDType, type OpNode, type Shape, type TensorData } from './tensor.ts';

export interface ParamInfo {
  /** Parameter name without prefix; its ONNX value is named `p:<name>`. */
  readonly name: string;
  readonly tensor: Tensor;
  /** Trainable params get gradients and optimizer updates; frozen ones never do. */
  trainable: boolean;
  /** Initial or current value (graph dtype); required for frozen params baked as initializers. */
  data: Float32Array | Float64Array | null;
}

export interface ConstInfo {
  readonly tensor: Tensor;
  readonly data: TensorData;
}

export interface ParamOptions {
  /** Host value (converted to the graph dtype); length must equal the shape's element count. */
  data?: ArrayLike<number>;
  /** Default true. */
  trainable?: boolean;
}

/** Prefix of every parameter's ONNX value name. */
export const PARAM_PREFIX = 'p:';

export class Graph {
  readonly nodes: OpNode[] = [];
  readonly inputs: Tensor[] = [];
  readonly params = new Map<string, ParamInfo>();
  readonly constants: ConstInfo[] = [];
  readonly outputs: { name: string; tensor: Tensor }[] = [];
  private nextId = 0;
  private readonly usedNames = new Set<string>();
  private readonly constCache = new Map<string, Tensor>();
  private readonly constById = new Map<number, TensorData>();
  private readonly scopes: string[] = [];

  constructor(readonly dtype: FloatDType = 'float32') {}

  /** A graph input fed at run time; dims may be symbolic strings for forward-only graphs. */
  input(name: string, shape: Shape, dtype: DType = this.dtype): Tensor {
    const t = new Tensor(this, this.nextId++, this.claimName(name), [...shape], dtype, 'input');
    this.inputs.push(t);
    return t;
  }

  /** A parameter (static shape). Its value may be given now or later with setParamData. */
  param(name: string, shape: readonly number[], options: ParamOptions = {}): Tensor {
    if (this.params.has(name)) throw new Error(`param '${name}' is declared twice: give each parameter a unique name`);
    const t = new Tensor(this, this.nextId++, this.claimName(PARAM_PREFIX + name), [...shape], this.dtype, 'param');
    const info: ParamInfo = { name, tensor: t, trainable: options.trainable ?? true, data: null };
    this.params.set(name, info);
    if (options.data) this.setParamData(name, options.data);
    return t;
  }

  setParamData(name: string, data: ArrayLike<number>): void {
    const info = this.params.get(name);
    if (!info) throw new Error(`setParamData: no param named '${name}'`);
    const size = info.tensor.size;
    if (data.length !== size) {
      throw new ShapeError('param', `'${name}' has shape ${formatShape(info.tensor.shape)} (${size} values) but got ${data.length} values`);
    }
    info.data = this.dtype === 'float32' ? Float32Array.from(data) : Float64Array.from(data);
  }

  trainableParams(): ParamInfo[] {
    return [...this.params.values()].filter((p) => p.trainable);
  }

  /** A constant baked into the model. Small constants with equal content are shared. */
  constant(values: ArrayLike<number> | ArrayLike<bigint>, shape: readonly number[], dtype: DType = this.dtype): Tensor {
    const size = staticSize(shape) ?? 0;
    if (values.length !== size) {
      throw new ShapeError('constant', `shape ${formatShape(shape)} needs ${size} values, got ${values.length}`);
    }
    const data = toTypedData(values, dtype);
    const key = size <= 64 ? `${dtype}|${shape.join(',')}|${Array.from(data as ArrayLike<number | bigint>).join(',')}` : null;
    const cached = key ? this.constCache.get(key) : undefined;
    if (cached) return cached;
    const t = new Tensor(this, this.nextId, this.claimName(`c${this.nextId}`), [...shape], dtype, 'const');
    this.nextId++;
    this.constants.push({ tensor: t, data });
    this.constById.set(t.id, data);
    if (key) this.constCache.set(key, t);
    return t;
  }

  /** Host data of a constant tensor, or undefined for any other tensor. */
  constantData(t: Tensor): TensorData | undefined {
    return this.constById.get(t.id);
  }

  /** A rank-0 constant (graph float dtype unless given). */
  scalar(value: number, dtype: DType = this.dtype): Tensor {
    return this.constant(dtype === 'int64' ? [BigInt(value)] : [value], [], dtype);
  }

  /** A rank-1 int64 constant, the form ONNX wants for shapes, axes, starts and ends. */
  ints(values: readonly number[]): Tensor {
    return this.constant(values.map((v) => BigInt(v)), [values.length], 'int64');
  }

  /** Declares a graph output. The same tensor may be output under several names. */
  output(name: string, tensor: Tensor): Tensor {
    if (tensor.graph !== this) throw new Error(`output '${name}': tensor belongs to another graph`);
    if (this.outputs.some((o) => o.name === name)) throw new Error(`output '${name}' is declared twice`);
    this.outputs.push({ name, tensor });
    return tensor;
  }

  /** Runs fn with a name prefix for the values it creates (readable ONNX graphs). */
  scope<T>(name: string, fn: () => T): T {
    this.scopes.push(name);
    try {
      return fn();
    } finally {
      this.scopes.pop();
    }
  }

  /** Appends one node; used by the op functions, which have already checked and computed shapes. */
  addNode(op: string, inputs: readonly Tensor[], outputs: readonly { shape: Shape; dtype: DType }[], attrs: Record<string, Attr> = {}): Tensor[] {
    for (const t of inputs) {
      if (t.graph !== this) throw new Error(`${op}: input ${t.name} belongs to another graph`);
    }
    const id = this.nextId++;
    const prefix = this.scopes.length ? this.scopes.join('/') + '/' : '';
    const outs: Tensor[] = [];
    const node: OpNode = { id, op, inputs: [...inputs], outputs: outs, attrs };
    outputs.forEach((o, i) => {
      const name = this.claimName(`${prefix}${op}_${id}${outputs.length > 1 ? `_${i}` : ''}`);
      outs.push(new Tensor(this, this.nextId++, name, [...o.shape], o.dtype, 'node', node));
    });
    this.nodes.push(node);
    return outs;
  }

  private claimName(name: string): string {
    if (this.usedNames.has(name)) throw new Error(`value name '${name}' is already used in this graph: pick another name`);
    this.usedNames.add(name);
    return name;
  }
}

function toTypedData(values: ArrayLike<number> | ArrayLike<bigint>, dtype: DType): TensorData {
  const arr = Array.from(values as ArrayLike<number | bigint>);
  switch (dtype) {
    case 'float32':
      return Float32Array.from(arr, Number);
    case 'float64':
      return Float64Array.from(arr, Number);
    case 'int64':
      return BigInt64Array.from(arr, (v) => BigInt(v));
    case 'bool':
      return Uint8Array.from(arr, (v) => (Number(v) ? 1 : 0));
  }
}
