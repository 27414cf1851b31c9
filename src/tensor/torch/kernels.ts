/**
 * The tfjs kernels of the `torch` backend. Each entry names the kernel's inputs in the order the addon's op takes
 * them and, where tfjs's attribute semantics are intricate, resolves the attributes with tfjs's own helpers
 * (computeConv2DInfo, sliceInfo, prepareSplitSize, ...) into plain numbers for ATen.
 */
import * as tf from "@tensorflow/tfjs";
import { TorchBackend } from "./backend";

type Attrs = Record<string, unknown>;
type Inputs = Record<string, tf.TensorInfo | undefined> | tf.TensorInfo[];
interface Spec {
  /** Input names in the addon's order; "*" takes the inputs as a list (Concat, AddN, Pack, Einsum). */
  inputs: string[] | "*";
  attrs?: (attrs: Attrs, inputs: Inputs) => Attrs;
}

const UNARY = ["Abs", "Acos", "Acosh", "Asin", "Asinh", "Atan", "Atanh", "Ceil", "Cos", "Cosh", "Elu", "Erf", "Exp",
  "Expm1", "Floor", "IsFinite", "IsInf", "IsNan", "Log", "Log1p", "LogicalNot", "Neg", "Reciprocal", "Relu", "Relu6",
  "Round", "Rsqrt", "Selu", "Sigmoid", "Sign", "Sin", "Sinh", "Softplus", "Sqrt", "Square", "Tan", "Tanh",
  "ZerosLike", "OnesLike", "LeakyRelu", "ClipByValue", "Step", "Cast", "Sum", "Mean", "Min", "Prod", "All", "Any",
  "ArgMax", "ArgMin", "Cumsum", "Cumprod", "TopK", "Reverse", "Tile", "Transpose", "Diag"];
const BINARY = ["Add", "Sub", "Multiply", "RealDiv", "FloorDiv", "Maximum", "Minimum", "Pow", "SquaredDifference", "Mod",
  "Atan2", "Equal", "NotEqual", "Greater", "GreaterEqual", "Less", "LessEqual", "LogicalAnd", "LogicalOr", "LogicalXor",
  "BatchMatMul"];

const shapeOf = (inputs: Inputs, name: string): number[] => (inputs as Record<string, tf.TensorInfo>)[name].shape;

function convAttrs(kind: "conv" | "depthwise") {
  return (attrs: Attrs, xShape: number[], filterShape: number[]): Attrs => {
    const dataFormat = (attrs.dataFormat as string) ?? "NHWC";
    const conv = tf.backend_util.computeConv2DInfo(
      xShape as [number, number, number, number], filterShape as [number, number, number, number],
      attrs.strides as [number, number] | number, (attrs.dilations as [number, number] | number) ?? 1,
      attrs.pad as "same", attrs.dimRoundingMode as "round" | undefined, kind === "depthwise",
      tf.backend_util.convertConv2DDataFormat(dataFormat as "NHWC"));
    return {
      ...attrs,
      pad4: [conv.padInfo.top, conv.padInfo.bottom, conv.padInfo.left, conv.padInfo.right],
      strides2: [conv.strideHeight, conv.strideWidth],
      dilations2: [conv.dilationHeight, conv.dilationWidth],
      nchw: dataFormat === "NCHW",
    };
  };
}
const conv2d = convAttrs("conv");
const depthwise = convAttrs("depthwise");

function poolAttrs(attrs: Attrs, xShape: number[]): Attrs {
  const p = tf.backend_util.computePool2DInfo(xShape as [number, number, number, number], attrs.filterSize as [number, number],
    attrs.strides as [number, number], 1, attrs.pad as "same", attrs.dimRoundingMode as "round" | undefined);
  return {
    pad4: [p.padInfo.top, p.padInfo.bottom, p.padInfo.left, p.padInfo.right],
    strides2: [p.strideHeight, p.strideWidth],
    kernel2: [p.filterHeight, p.filterWidth],
  };
}

/** Source rows and columns of tfjs's nearest-neighbour resize (the rule of tfjs-backend-cpu's kernel). */
function nearestIndices(oldSize: number, newSize: number, alignCorners: boolean, halfPixelCenters: boolean): number[] {
  const effIn = alignCorners && newSize > 1 ? oldSize - 1 : oldSize;
  const effOut = alignCorners && newSize > 1 ? newSize - 1 : newSize;
  const ratio = effIn / effOut;
  const out: number[] = [];
  for (let r = 0; r < newSize; r++) {
    const frac = halfPixelCenters ? ratio * (r + 0.5) : ratio * r;
    let k = Math.min(oldSize - 1, alignCorners ? Math.round(frac) : Math.floor(frac));
    if (halfPixelCenters) k = Math.max(0, k);
    out.push(k);
  }
  return out;
}
function resizeAttrs(attrs: Attrs, imageShape: number[], newH: number, newW: number): Attrs {
  const ac = !!attrs.alignCorners, hp = !!attrs.halfPixelCenters;
  return { rows: nearestIndices(imageShape[1], newH, ac, hp), cols: nearestIndices(imageShape[2], newW, ac, hp) };
}

export const SPECS: Record<string, Spec> = {
  ...Object.fromEntries(UNARY.map((k) => [k, { inputs: ["x"] }])),
  ...Object.fromEntries(BINARY.map((k) => [k, { inputs: ["a", "b"] }])),
  // Max names its axes reductionIndices; every other reduction calls them axis.
  Max: { inputs: ["x"], attrs: (a) => ({ axis: a.reductionIndices, keepDims: a.keepDims }) },
  Prelu: { inputs: ["x", "alpha"] },
  EluGrad: { inputs: ["dy", "y"] },
  Softmax: { inputs: ["logits"] },
  Select: { inputs: ["condition", "t", "e"] },
  AddN: { inputs: "*" },
  Concat: { inputs: "*" },
  Pack: { inputs: "*" },
  Einsum: { inputs: "*" },
  Unpack: { inputs: ["value"] },
  _FusedMatMul: { inputs: ["a", "b", "bias", "preluActivationWeights"] },
  Reshape: {
    inputs: ["x"],
    attrs: (a, i) => ({ shape: tf.util.inferFromImplicitShape(a.shape as number[], tf.util.sizeFromShape(shapeOf(i, "x"))) }),
  },
  ExpandDims: { inputs: ["input"] },
  Slice: {
    inputs: ["x"],
    attrs: (a, i) => {
      const x = (i as Record<string, tf.TensorInfo>).x;
      const [begin, size] = tf.slice_util.parseSliceParams(x as tf.Tensor, a.begin as number[], a.size as number[]);
      return { begin, size };
    },
  },
  StridedSlice: {
    inputs: ["x"],
    attrs: (a, i) => {
      const s = tf.slice_util.sliceInfo(shapeOf(i, "x"), a.begin as number[], a.end as number[], a.strides as number[],
        a.beginMask as number, a.endMask as number, a.ellipsisMask as number, a.newAxisMask as number, a.shrinkAxisMask as number);
      return { begin: s.begin, strides: s.strides, counts: tf.slice_util.computeOutShape(s.begin, s.end, s.strides), finalShape: s.finalShape };
    },
  },
  SplitV: {
    inputs: ["x"],
    attrs: (a, i) => {
      const x = (i as Record<string, tf.TensorInfo>).x;
      const axis = tf.util.parseAxisParam(a.axis as number, x.shape)[0];
      return { axis, sizes: tf.backend_util.prepareSplitSize(x as tf.Tensor, a.numOrSizeSplits as number[], axis) };
    },
  },
  PadV2: { inputs: ["x"] },
  MirrorPad: { inputs: ["x"] },
  GatherV2: { inputs: ["x", "indices"] },
  GatherNd: { inputs: ["params", "indices"] },
  ScatterNd: { inputs: ["indices", "updates"] },
  UnsortedSegmentSum: { inputs: ["x", "segmentIds"] },
  OneHot: { inputs: ["indices"] },
  Fill: { inputs: [] },
  Range: { inputs: [] },
  LinSpace: { inputs: [] },
  Conv2D: { inputs: ["x", "filter"], attrs: (a, i) => conv2d(a, shapeOf(i, "x"), shapeOf(i, "filter")) },
  FusedConv2D: { inputs: ["x", "filter", "bias", "preluActivationWeights"], attrs: (a, i) => conv2d(a, shapeOf(i, "x"), shapeOf(i, "filter")) },
  Conv2DBackpropInput: { inputs: ["dy", "filter"], attrs: (a, i) => conv2d(a, a.inputShape as number[], shapeOf(i, "filter")) },
  Conv2DBackpropFilter: { inputs: ["x", "dy"], attrs: (a, i) => conv2d(a, shapeOf(i, "x"), a.filterShape as number[]) },
  DepthwiseConv2dNative: { inputs: ["x", "filter"], attrs: (a, i) => depthwise(a, shapeOf(i, "x"), shapeOf(i, "filter")) },
  FusedDepthwiseConv2D: { inputs: ["x", "filter", "bias", "preluActivationWeights"], attrs: (a, i) => depthwise(a, shapeOf(i, "x"), shapeOf(i, "filter")) },
  DepthwiseConv2dNativeBackpropInput: { inputs: ["dy", "filter"], attrs: (a, i) => depthwise(a, a.inputShape as number[], shapeOf(i, "filter")) },
  DepthwiseConv2dNativeBackpropFilter: { inputs: ["x", "dy"], attrs: (a, i) => depthwise(a, shapeOf(i, "x"), a.filterShape as number[]) },
  AvgPool: { inputs: ["x"], attrs: (a, i) => poolAttrs(a, shapeOf(i, "x")) },
  AvgPoolGrad: { inputs: ["dy", "input"], attrs: (a, i) => poolAttrs(a, shapeOf(i, "input")) },
  MaxPool: { inputs: ["x"], attrs: (a, i) => poolAttrs(a, shapeOf(i, "x")) },
  MaxPoolGrad: { inputs: ["dy", "input", "output"], attrs: (a, i) => poolAttrs(a, shapeOf(i, "input")) },
  ResizeNearestNeighbor: {
    inputs: ["images"],
    attrs: (a, i) => { const [h, w] = a.size as number[]; return resizeAttrs(a, shapeOf(i, "images"), h, w); },
  },
  ResizeNearestNeighborGrad: {
    inputs: ["images", "dy"],
    attrs: (a, i) => { const d = shapeOf(i, "dy"); return resizeAttrs(a, shapeOf(i, "images"), d[1], d[2]); },
  },
  ResizeBilinear: { inputs: ["images"] },
  FusedBatchNorm: { inputs: ["x", "mean", "variance", "offset", "scale"] },
  // The library's fused kernels (native/torch/ops_fused.cc; the wasm versions live in src/tensor/*.ts).
  ScorelabSilu: { inputs: ["x"] },
  ScorelabSiluGrad: { inputs: ["x", "dy"] },
  ScorelabGroupNorm: { inputs: ["x", "gamma", "beta"] },
  ScorelabGroupNormGrad: { inputs: ["x", "gamma", "dy"] },
  ScorelabAdamStep: { inputs: "*" },
  ScorelabSumSquares: { inputs: "*" },
  ScorelabDenseStack: { inputs: "*" },
  ScorelabDenseStackGrad: { inputs: "*" },
  ScorelabDsmPerturb: { inputs: ["x0", "eps", "a", "s"] },
  ScorelabDsmSquaredError: { inputs: "*" },
  ScorelabDsmSquaredErrorGrad: { inputs: "*" },
  ScorelabFourierEmbed: { inputs: ["c", "w"] },
};

/** Runs one addon op for a tfjs kernel call and wraps its outputs. */
function kernelFunc(name: string, spec: Spec): tf.KernelFunc {
  return ({ inputs, attrs, backend }) => {
    const b = backend as TorchBackend;
    const id = b.opId(name);
    if (id === undefined) throw new Error(`the torch addon has no op ${name} (rebuild it: npx scorelab setup)`);
    const list = spec.inputs === "*"
      ? (Array.isArray(inputs) ? inputs : Object.values(inputs)) as tf.TensorInfo[]
      : spec.inputs.map((k) => (inputs as Record<string, tf.TensorInfo | undefined>)[k]);
    const handles = new Int32Array(list.length);
    list.forEach((t, j) => { handles[j] = t ? b.handleOf(t) : -1; });
    const a = spec.attrs ? spec.attrs((attrs ?? {}) as Attrs, inputs as Inputs) : (attrs ?? {});
    const flat = b.addon.run(id, handles, a);
    const outs: tf.TensorInfo[] = [];
    let k = 1;
    for (let j = 0; j < flat[0]; j++) {
      const handle = flat[k], dtype = flat[k + 1], rank = flat[k + 2];
      outs.push(b.info(handle, dtype, flat.slice(k + 3, k + 3 + rank)));
      k += 3 + rank;
    }
    return outs.length === 1 && name !== "Unpack" && name !== "SplitV" ? outs[0] : outs;
  };
}

/**
 * Kernels that need no addon call. Identity shares its input's storage, as tfjs's cpu backend does: tfjs clones
 * every tensor it saves for a gradient (70 to 100 clones per MLP training step, measured), and a copy or even an
 * addon call for each was a tenth of the step.
 */
const JS_KERNELS: Record<string, tf.KernelFunc> = {
  Identity: ({ inputs, backend }) => {
    const x = (inputs as Record<string, tf.TensorInfo>).x;
    (backend as TorchBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  },
};

/** Registers every kernel of SPECS and JS_KERNELS for the backend name (once per process). */
export function registerTorchKernels(backendName: string): string[] {
  const names: string[] = [];
  const funcs: [string, tf.KernelFunc][] = [...Object.entries(SPECS).map(([n, s]) => [n, kernelFunc(n, s)] as [string, tf.KernelFunc]), ...Object.entries(JS_KERNELS)];
  for (const [name, func] of funcs) {
    if (tf.getKernel(name, backendName)) continue;
    tf.registerKernel({ kernelName: name, backendName, kernelFunc: func });
    names.push(name);
  }
  return names;
}
