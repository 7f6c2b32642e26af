// Elementwise ops with numpy broadcasting: arithmetic, unary maths, comparisons, Where, Cast.
// Numbers are accepted where a tensor is and become scalar constants of the other operand's dtype.
// Not here: gradients (autodiff/rules-*.ts); composite activations (nn.ts).
import { ShapeError, broadcastShapes, sameShape } from '../shape.ts';
import { Tensor, formatShape, type DType } from '../tensor.ts';

export type Operand = Tensor | number;

function lift(op: string, a: Operand, b: Operand): [Tensor, Tensor] {
  const ref = a instanceof Tensor ? a : b instanceof Tensor ? b : null;
  if (!ref) throw new ShapeError(op, 'needs at least one tensor operand, got two numbers');
  const x = a instanceof Tensor ? a : ref.graph.scalar(a, ref.dtype);
  const y = b instanceof Tensor ? b : ref.graph.scalar(b, ref.dtype);
  if (x.dtype !== y.dtype) {
    throw new ShapeError(op, `operand dtypes differ: ${x.dtype}${formatShape(x.shape)} vs ${y.dtype}${formatShape(y.shape)}; cast one first`);
  }
  return [x, y];
}

function binary(op: string, a: Operand, b: Operand, outDtype?: DType): Tensor {
  const [x, y] = lift(op, a, b);
  const shape = broadcastShapes(op, x.shape, y.shape);
  return x.graph.addNode(op, [x, y], [{ shape, dtype: outDtype ?? x.dtype }])[0];
}

function unary(op: string, x: Tensor, outDtype?: DType): Tensor {
  return x.graph.addNode(op, [x], [{ shape: x.shape, dtype: outDtype ?? x.dtype }])[0];
}

function requireFloat(op: string, x: Tensor): void {
  if (!x.isFloat()) throw new ShapeError(op, `needs a float tensor, got ${x.dtype}${formatShape(x.shape)}`);
}

/** x itself when combining it with the identity element would not change its shape. */
function neutral(x: Operand, other: Operand, value: number): Tensor | null {
  if (other === value && x instanceof Tensor) return x;
  if (other instanceof Tensor && x instanceof Tensor && other.rank === 0 && other.dtype === x.dtype) {
    const data = x.graph.constantData(other);
    if (data && Number(data[0]) === value) return x;
  }
  return null;
}

export function add(a: Operand, b: Operand): Tensor {
  return neutral(a, b, 0) ?? neutral(b, a, 0) ?? binary('Add', a, b);
}
export function sub(a: Operand, b: Operand): Tensor {
  return neutral(a, b, 0) ?? binary('Sub', a, b);
}
export function mul(a: Operand, b: Operand): Tensor {
  return neutral(a, b, 1) ?? neutral(b, a, 1) ?? binary('Mul', a, b);
}
export function div(a: Operand, b: Operand): Tensor {
  return neutral(a, b, 1) ?? binary('Div', a, b);
}
/** a ** p (elementwise); p is usually a number. */
export function pow(a: Tensor, p: Operand): Tensor {
  requireFloat('Pow', a);
  if (p === 1) return a;
  return binary('Pow', a, p);
}
/** Elementwise max of two tensors (ONNX Max). */
export function maximum(a: Operand, b: Operand): Tensor {
  return binary('Max', a, b);
}
/** Elementwise min of two tensors (ONNX Min). */
export function minimum(a: Operand, b: Operand): Tensor {
  return binary('Min', a, b);
}

export const neg = (x: Tensor): Tensor => unary('Neg', x);
export const exp = (x: Tensor): Tensor => (requireFloat('Exp', x), unary('Exp', x));
export const log = (x: Tensor): Tensor => (requireFloat('Log', x), unary('Log', x));
export const sqrt = (x: Tensor): Tensor => (requireFloat('Sqrt', x), unary('Sqrt', x));
export const sigmoid = (x: Tensor): Tensor => (requireFloat('Sigmoid', x), unary('Sigmoid', x));
export const tanh = (x: Tensor): Tensor => (requireFloat('Tanh', x), unary('Tanh', x));
/** Gauss error function. ORT's CPU kernel is float32 only: float64 graphs should use geluTanh. */
export const erf = (x: Tensor): Tensor => (requireFloat('Erf', x), unary('Erf', x));
export const abs = (x: Tensor): Tensor => unary('Abs', x);
export const square = (x: Tensor): Tensor => mul(x, x);
export const identity = (x: Tensor): Tensor => unary('Identity', x);

// Comparisons and logic produce bool tensors and carry no gradient.
export const equal = (a: Operand, b: Operand): Tensor => binary('Equal', a, b, 'bool');
export const less = (a: Operand, b: Operand): Tensor => binary('Less', a, b, 'bool');
export const greater = (a: Operand, b: Operand): Tensor => binary('Greater', a, b, 'bool');
export function and(a: Tensor, b: Tensor): Tensor {
  return binary('And', a, b, 'bool');
}
export function or(a: Tensor, b: Tensor): Tensor {
  return binary('Or', a, b, 'bool');
}
export function not(x: Tensor): Tensor {
  if (x.dtype !== 'bool') throw new ShapeError('Not', `needs a bool tensor, got ${x.dtype}`);
  return unary('Not', x);
}

/** cond ? a : b, broadcasting all three. */
export function where(cond: Tensor, a: Operand, b: Operand): Tensor {
  if (cond.dtype !== 'bool') throw new ShapeError('Where', `condition must be bool, got ${cond.dtype}${formatShape(cond.shape)}`);
  const ref = a instanceof Tensor ? a : b instanceof Tensor ? b : null;
  const dtype = ref ? ref.dtype : cond.graph.dtype;
  const x = a instanceof Tensor ? a : cond.graph.scalar(a, dtype);
  const y = b instanceof Tensor ? b : cond.graph.scalar(b, dtype);
  if (x.dtype !== y.dtype) throw new ShapeError('Where', `branch dtypes differ: ${x.dtype} vs ${y.dtype}`);
  const shape = broadcastShapes('Where', cond.shape, x.shape, y.shape);
  return cond.graph.addNode('Where', [cond, x, y], [{ shape, dtype: x.dtype }])[0];
}

const ONNX_TYPE: Record<DType, number> = { float32: 1, bool: 9, int64: 7, float64: 11 };

export function cast(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  return x.graph.addNode('Cast', [x], [{ shape: x.shape, dtype }], { to: { kind: 'int', value: ONNX_TYPE[dtype] } })[0];
}

/** 1 where x is finite, 0 where it is NaN or +-Inf (graph float dtype); works on every backend. */
export function isFiniteMask(x: Tensor): Tensor {
  // x*0 is 0 for finite x and NaN for NaN/Inf; Equal(NaN, 0) is false.
  return cast(equal(mul(x, 0), 0), x.graph.dtype);
}

/** Asserts two shapes are identical (no broadcasting); used by helpers that need exact matches. */
export function expectSameShape(op: string, a: Tensor, b: Tensor): void {
  if (!sameShape(a.shape, b.shape)) {
    throw new ShapeError(op, `shapes must match exactly, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  }
}
