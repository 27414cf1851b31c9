// Convolutions, pooling, resizing and batch normalisation. tfjs is NHWC with HWIO filters; ATen is NCHW with
// OIHW weights, so tensors are permuted at the boundary (views, no copies). Padding arrives resolved by tfjs's
// computeConv2DInfo / computePool2DInfo as [top, bottom, left, right]; uneven padding is applied explicitly.
#include "ops.h"
#include <limits>

using namespace scorelab;

struct Geometry { std::vector<int64_t> pad, stride, dilation, kernel; bool nchw; };

static Geometry geometry(const Attrs& a) {
  Geometry g{a.ints("pad4"), a.ints("strides2"), a.has("dilations2") ? a.ints("dilations2") : std::vector<int64_t>{1, 1},
             a.has("kernel2") ? a.ints("kernel2") : std::vector<int64_t>{}, a.b("nchw")};
  return g;
}
static bool even(const Geometry& g) { return g.pad[0] == g.pad[1] && g.pad[2] == g.pad[3]; }
// Pads an NCHW tensor by [top, bottom, left, right].
static at::Tensor padHW(const at::Tensor& x, const Geometry& g, double value = 0.0) {
  if (!g.pad[0] && !g.pad[1] && !g.pad[2] && !g.pad[3]) return x;
  return at::constant_pad_nd(x, {g.pad[2], g.pad[3], g.pad[0], g.pad[1]}, value);
}
static at::Tensor unpadHW(const at::Tensor& x, const Geometry& g) {
  return x.narrow(2, g.pad[0], x.size(2) - g.pad[0] - g.pad[1]).narrow(3, g.pad[2], x.size(3) - g.pad[2] - g.pad[3]);
}
static at::Tensor in4(const at::Tensor& x, const Geometry& g) { return g.nchw ? x : toNCHW(x); }
static at::Tensor out4(const at::Tensor& x, const Geometry& g) { return g.nchw ? x : toNHWC(x); }
static std::vector<int64_t> nchwShape(std::vector<int64_t> s, const Geometry& g) { return g.nchw ? s : std::vector<int64_t>{s[0], s[3], s[1], s[2]}; }

// HWIO filter -> OIHW weight; a depthwise HWCM filter -> [C*M, 1, H, W].
static at::Tensor weightOf(const at::Tensor& f, bool depthwise) {
  if (!depthwise) return f.permute({3, 2, 0, 1});
  return f.permute({2, 3, 0, 1}).reshape({f.size(2) * f.size(3), 1, f.size(0), f.size(1)});
}
static at::Tensor filterOf(const at::Tensor& w, at::IntArrayRef fshape, bool depthwise) {
  if (!depthwise) return w.permute({2, 3, 1, 0});
  return w.reshape({fshape[2], fshape[3], fshape[0], fshape[1]}).permute({2, 3, 0, 1});
}

static at::Tensor conv(const at::Tensor& x0, const at::Tensor& f, const at::Tensor& bias, const Geometry& g, bool depthwise) {
  at::Tensor x = in4(x0, g);
  int64_t groups = depthwise ? x.size(1) : 1;
  at::Tensor w = weightOf(f, depthwise);
  std::vector<int64_t> pad{0, 0};
  if (even(g)) pad = {g.pad[0], g.pad[2]}; else x = padHW(x, g);
  at::Tensor b = bias.defined() && bias.dim() == 1 && bias.size(0) == w.size(0) ? bias : at::Tensor();
  at::Tensor y = at::conv2d(x, w, b, g.stride, pad, g.dilation, groups);
  y = out4(y, g);
  if (bias.defined() && !b.defined()) y = y + bias;
  return y;
}

// The gradients ask ATen for results in the memory format of dy: for tfjs's NHWC tensors that is channels-last, so
// the NHWC view of dx is contiguous. A contiguous NCHW ghost input made ATen return NCHW memory, whose NHWC view
// then made every consumer (SiLU's gradient, group norm's) copy or stride: 2.8 against 0.7 ms for the input gradient
// of a [128,8,8,16] 3x3 convolution, 1.1 against 0.2 ms for the silu_backward after it (PyTorch 1.13, 1 thread).
static at::MemoryFormat formatOf(const Geometry& g) { return g.nchw ? at::MemoryFormat::Contiguous : at::MemoryFormat::ChannelsLast; }

static at::Tensor convGradInput(const at::Tensor& dy0, const at::Tensor& f, at::IntArrayRef inShape, const Geometry& g, bool depthwise) {
  at::Tensor dy = in4(dy0, g);
  auto s = nchwShape(std::vector<int64_t>(inShape.begin(), inShape.end()), g);
  at::Tensor w = weightOf(f, depthwise);
  const int64_t groups = depthwise ? s[1] : 1;
  // Only the input's shape matters for the input gradient; its values are never read.
  if (even(g)) {
    at::Tensor ghost = at::empty(s, dy.options().memory_format(formatOf(g)));
    auto r = at::convolution_backward(dy, ghost, w, c10::nullopt, g.stride, {g.pad[0], g.pad[2]}, g.dilation, false, {0, 0}, groups, {true, false, false});
    return out4(std::get<0>(r), g);
  }
  std::vector<int64_t> padded{s[0], s[1], s[2] + g.pad[0] + g.pad[1], s[3] + g.pad[2] + g.pad[3]};
  at::Tensor ghost = at::empty(padded, dy.options().memory_format(formatOf(g)));
  auto r = at::convolution_backward(dy, ghost, w, c10::nullopt, g.stride, {0, 0}, g.dilation, false, {0, 0}, groups, {true, false, false});
  return out4(unpadHW(std::get<0>(r), g), g);
}

static at::Tensor convGradFilter(const at::Tensor& x0, const at::Tensor& dy0, at::IntArrayRef fshape, const Geometry& g, bool depthwise) {
  // Even padding goes to ATen as padding: padding x here first was a copy of the whole input per call.
  const bool ev = even(g);
  at::Tensor x = ev ? in4(x0, g) : padHW(in4(x0, g), g);
  at::Tensor dy = in4(dy0, g);
  std::vector<int64_t> wshape = depthwise ? std::vector<int64_t>{fshape[2] * fshape[3], 1, fshape[0], fshape[1]}
                                          : std::vector<int64_t>{fshape[3], fshape[2], fshape[0], fshape[1]};
  at::Tensor ghost = at::empty(wshape, x.options());
  std::vector<int64_t> pad = ev ? std::vector<int64_t>{g.pad[0], g.pad[2]} : std::vector<int64_t>{0, 0};
  auto r = at::convolution_backward(dy, x, ghost, c10::nullopt, g.stride, pad, g.dilation, false, {0, 0}, depthwise ? x.size(1) : 1, {false, true, false});
  return filterOf(std::get<1>(r), fshape, depthwise);
}

OP("Conv2D") { return {conv(in[0], in[1], at::Tensor(), geometry(a), false)}; } END_OP
OP("DepthwiseConv2dNative") { return {conv(in[0], in[1], at::Tensor(), geometry(a), true)}; } END_OP
OP("FusedConv2D") {
  at::Tensor y = conv(in[0], in[1], in.size() > 2 ? in[2] : at::Tensor(), geometry(a), false);
  return {applyActivation(y, a.s("activation"), in.size() > 3 ? in[3] : at::Tensor(), a.f("leakyreluAlpha", 0.2))};
} END_OP
OP("FusedDepthwiseConv2D") {
  at::Tensor y = conv(in[0], in[1], in.size() > 2 ? in[2] : at::Tensor(), geometry(a), true);
  return {applyActivation(y, a.s("activation"), in.size() > 3 ? in[3] : at::Tensor(), a.f("leakyreluAlpha", 0.2))};
} END_OP
OP("Conv2DBackpropInput") { return {convGradInput(in[0], in[1], a.ints("inputShape"), geometry(a), false)}; } END_OP
OP("DepthwiseConv2dNativeBackpropInput") { return {convGradInput(in[0], in[1], a.ints("inputShape"), geometry(a), true)}; } END_OP
OP("Conv2DBackpropFilter") { return {convGradFilter(in[0], in[1], a.ints("filterShape"), geometry(a), false)}; } END_OP
OP("DepthwiseConv2dNativeBackpropFilter") { return {convGradFilter(in[0], in[1], a.ints("filterShape"), geometry(a), true)}; } END_OP

// Average pooling counts only real pixels under the window (tfjs's rule for 'same' padding): sum over the
// zero-padded input divided by the count of real pixels.
static at::Tensor poolCounts(const at::Tensor& x, const Geometry& g) {
  at::Tensor ones = at::ones({1, 1, x.size(2), x.size(3)}, x.options());
  return at::avg_pool2d(padHW(ones, g), g.kernel, g.stride, {0, 0}, false, true) * static_cast<double>(g.kernel[0] * g.kernel[1]);
}
OP("AvgPool") {
  Geometry g = geometry(a);
  at::Tensor x = in4(in[0], g);
  if (!g.pad[0] && !g.pad[1] && !g.pad[2] && !g.pad[3]) return {out4(at::avg_pool2d(x, g.kernel, g.stride), g)};
  double k = static_cast<double>(g.kernel[0] * g.kernel[1]);
  at::Tensor sums = at::avg_pool2d(padHW(x, g), g.kernel, g.stride, {0, 0}, false, true) * k;
  return {out4(sums / poolCounts(x, g), g)};
} END_OP
// tfjs's AvgPoolGrad spreads dy / (window size) over every window position, padding included, even where the
// forward pass divided by fewer pixels; the wasm and cpu backends do so, and this backend matches them.
OP("AvgPoolGrad") {
  Geometry g = geometry(a);
  at::Tensor dy = in4(in[0], g), x = in4(in[1], g);
  at::Tensor dx = at::avg_pool2d_backward(dy, padHW(x, g), g.kernel, g.stride, {0, 0}, false, true, c10::nullopt);
  return {out4(unpadHW(dx, g), g)};
} END_OP
OP("MaxPool") {
  Geometry g = geometry(a);
  at::Tensor x = padHW(in4(in[0], g), g, -std::numeric_limits<double>::infinity());
  return {out4(at::max_pool2d(x, g.kernel, g.stride), g)};
} END_OP
// MaxPoolGrad(dy, input, output): the arg-max positions are recomputed from the input.
OP("MaxPoolGrad") {
  Geometry g = geometry(a);
  at::Tensor dy = in4(in[0], g);
  at::Tensor x = padHW(in4(in[1], g), g, -std::numeric_limits<double>::infinity());
  auto r = at::max_pool2d_with_indices(x, g.kernel, g.stride, {0, 0}, {1, 1}, false);
  at::Tensor dx = at::max_pool2d_with_indices_backward(dy, x, g.kernel, g.stride, {0, 0}, {1, 1}, false, std::get<1>(r));
  return {out4(unpadHW(dx, g), g)};
} END_OP

// Nearest-neighbour resize with source rows and columns computed on the JS side by tfjs's own rule.
static at::Tensor idxOf(const Attrs& a, const char* k, const at::Tensor& like) {
  return at::tensor(a.ints(k), at::TensorOptions().dtype(at::kLong)).to(like.device());
}
OP("ResizeNearestNeighbor") {
  at::Tensor x = in[0];
  return {x.index_select(1, idxOf(a, "rows", x)).index_select(2, idxOf(a, "cols", x))};
} END_OP
// The gradient scatters each output pixel back to its one source pixel, rows and columns separately.
OP("ResizeNearestNeighborGrad") {
  const at::Tensor& img = in[0];
  const at::Tensor& dy = in[1];
  at::Tensor cols = at::zeros({dy.size(0), dy.size(1), img.size(2), dy.size(3)}, dy.options());
  cols.index_add_(2, idxOf(a, "cols", dy), dy);
  at::Tensor out = at::zeros({dy.size(0), img.size(1), img.size(2), dy.size(3)}, dy.options());
  out.index_add_(1, idxOf(a, "rows", dy), cols);
  return {out};
} END_OP
OP("ResizeBilinear") {
  at::Tensor x = toNCHW(in[0]).to(at::kFloat);
  auto size = a.ints("size");
  if (a.b("halfPixelCenters") || a.b("alignCorners")) {
    return {toNHWC(at::upsample_bilinear2d(x, size, a.b("alignCorners"), c10::nullopt, c10::nullopt))};
  }
  throw std::invalid_argument("ResizeBilinear without halfPixelCenters or alignCorners (TensorFlow's legacy rule) is not supported by the torch backend");
} END_OP

OP("FusedBatchNorm") {
  at::Tensor y = (in[0] - in[1]) * at::rsqrt(in[2] + a.f("varianceEpsilon", 0.001));
  if (in.size() > 4 && in[4].defined()) y = y * in[4];
  if (in.size() > 3 && in[3].defined()) y = y + in[3];
  return {y};
} END_OP
