// Public API of the graph engine: build static-shape graphs, differentiate them, add in-graph
// optimizers, export ONNX. Overview and naming conventions: src/engine/README.md.
// Not here: running graphs (src/runtime is the only module that imports onnxruntime).
export { Graph, PARAM_PREFIX, type ParamInfo, type ParamOptions } from './graph.ts';
export { Tensor, attr, formatShape, type DType, type Dim, type FloatDType, type Shape, type TensorData } from './tensor.ts';
export { ShapeError, broadcastShapes } from './shape.ts';
export * from './ops/elementwise.ts';
export * from './ops/linalg.ts';
export * from './ops/reduce.ts';
export * from './ops/shape-ops.ts';
export * from './ops/nn.ts';
export * from './ops/losses.ts';
export * from './ops/attention.ts';
export { backward, differentiableOps } from './autodiff/backward.ts';
export { toOnnx, OPSET, IR_VERSION, type OnnxExportOptions, type OnnxModel } from './onnx-export.ts';
export { lora, loraOutput, mergeLoraWeights, type LoraLayer, type LoraOptions } from './lora.ts';
export * from './optim.ts';
export {
  buildTrainStep, initialState, TRAIN_NAMES, type OptimizerConfig, type StateSlot, type TrainStep, type TrainStepOptions,
} from './train-step.ts';
