// Shape, indexing and creation kernels. Where tfjs's attribute semantics are intricate (slices, splits, resize
// indices) the JS side resolves them with tfjs's own helpers and passes plain begin/size/index lists here.
#include "ops.h"

using namespace scorelab;

static at::Tensor longIdx(const at::Tensor& t) { return t.to(at::kLong); }

OP("Reshape") { return {in[0].reshape(a.ints("shape"))}; } END_OP
OP("ExpandDims") { int64_t d = a.i("dim"); if (d < 0) d += in[0].dim() + 1; return {in[0].unsqueeze(d)}; } END_OP
OP("Transpose") { return {in[0].permute(a.ints("perm"))}; } END_OP
OP("Reverse") { return {in[0].flip(normAxes(a.ints("dims"), in[0].dim()))}; } END_OP
OP("Tile") { return {in[0].repeat(a.ints("reps"))}; } END_OP
OP("Concat") {
  int64_t ax = normAxes(a.ints("axis"), in[0].dim()).at(0);
  std::vector<at::Tensor> xs(in.begin(), in.end());
  return {at::cat(xs, ax)};
} END_OP
OP("Pack") {
  int64_t ax = a.i("axis", 0);
  if (ax < 0) ax += in[0].dim() + 1;
  std::vector<at::Tensor> xs(in.begin(), in.end());
  return {at::stack(xs, ax)};
} END_OP
OP("Unpack") {
  int64_t ax = normAxes({a.i("axis", 0)}, in[0].dim()).at(0);
  auto parts = at::unbind(in[0], ax);
  return Tensors(parts.begin(), parts.end());
} END_OP
// Slice with begin and size already resolved by tfjs's parseSliceParams (no -1 left).
OP("Slice") {
  auto begin = a.ints("begin"), size = a.ints("size");
  at::Tensor x = in[0];
  for (int64_t d = 0; d < x.dim(); d++) x = x.narrow(d, begin[d], size[d]);
  return {x};
} END_OP
// StridedSlice resolved by tfjs's sliceInfo: per input axis a begin, a stride and a count of elements taken
// (finalShapeSparse), then the final shape with new and shrunk axes.
OP("StridedSlice") {
  auto begin = a.ints("begin"), counts = a.ints("counts"), strides = a.ints("strides"), shape = a.ints("finalShape");
  at::Tensor x = in[0];
  for (int64_t d = 0; d < static_cast<int64_t>(begin.size()) && d < x.dim(); d++) {
    int64_t n = x.size(d), b = begin[d], s = strides[d], c = std::max<int64_t>(counts[d], 0);
    if (s < 0) { x = x.flip(d); b = n - 1 - b; s = -s; }
    x = c == 0 ? x.narrow(d, 0, 0) : x.slice(d, b, b + (c - 1) * s + 1, s);
  }
  return {x.reshape(shape)};
} END_OP
OP("SplitV") {
  int64_t ax = normAxes(a.ints("axis"), in[0].dim()).at(0);
  auto parts = at::split_with_sizes(in[0], a.ints("sizes"), ax);
  return Tensors(parts.begin(), parts.end());
} END_OP
// PadV2: tfjs gives [[before, after], ...] from the first axis; ATen wants pairs from the last axis.
OP("PadV2") {
  auto p = a.ints("paddings");
  std::vector<int64_t> pads;
  for (int64_t d = static_cast<int64_t>(p.size()) / 2 - 1; d >= 0; d--) { pads.push_back(p[2 * d]); pads.push_back(p[2 * d + 1]); }
  return {at::constant_pad_nd(in[0], pads, a.f("constantValue", 0.0))};
} END_OP
// MirrorPad by gathering mirrored indices per axis (covers both 'reflect' and 'symmetric').
OP("MirrorPad") {
  auto p = a.ints("paddings");
  int64_t off = a.s("mode") == "reflect" ? 1 : 0;
  at::Tensor x = in[0];
  for (int64_t d = 0; d < x.dim(); d++) {
    int64_t n = x.size(d), lo = p[2 * d], hi = p[2 * d + 1];
    if (!lo && !hi) continue;
    std::vector<int64_t> idx;
    for (int64_t j = -lo; j < n + hi; j++) {
      int64_t k = j;
      if (k < 0) k = -k - 1 + off;
      else if (k >= n) k = 2 * n - k - 1 - off;
      idx.push_back(k);
    }
    x = x.index_select(d, at::tensor(idx, at::TensorOptions().dtype(at::kLong)).to(x.device()));
  }
  return {x};
} END_OP

OP("GatherV2") {
  if (a.i("batchDims", 0) != 0) throw std::invalid_argument("batchDims > 0 is not supported by the torch backend");
  const at::Tensor& x = in[0];
  const at::Tensor& ind = in[1];
  int64_t ax = normAxes(a.ints("axis"), x.dim()).at(0);
  at::Tensor flat = at::index_select(x, ax, longIdx(ind.reshape({-1})));
  std::vector<int64_t> shape(x.sizes().begin(), x.sizes().begin() + ax);
  for (int64_t s : ind.sizes()) shape.push_back(s);
  for (int64_t d = ax + 1; d < x.dim(); d++) shape.push_back(x.size(d));
  return {flat.reshape(shape)};
} END_OP

// Linear indices of the first K axes of `shape` for an index tensor [..., K].
static at::Tensor linearIndex(const at::Tensor& ind, at::IntArrayRef shape) {
  int64_t k = ind.size(-1);
  std::vector<int64_t> strides(k, 1);
  for (int64_t d = k - 2; d >= 0; d--) strides[d] = strides[d + 1] * shape[d + 1];
  at::Tensor st = at::tensor(strides, at::TensorOptions().dtype(at::kLong)).to(ind.device());
  return (longIdx(ind) * st).sum(-1).reshape({-1});
}

// [lead, ...rest]: the row layout the gather and scatter kernels index along axis 0.
static std::vector<int64_t> rowsOf(int64_t lead, at::IntArrayRef rest) {
  std::vector<int64_t> shape{lead};
  shape.insert(shape.end(), rest.begin(), rest.end());
  return shape;
}

OP("GatherNd") {
  (void)a;
  const at::Tensor& x = in[0];
  const at::Tensor& ind = in[1];
  at::IntArrayRef rest = x.sizes().slice(ind.size(-1));
  at::Tensor rows = x.reshape(rowsOf(-1, rest)).index_select(0, linearIndex(ind, x.sizes()));
  std::vector<int64_t> shape(ind.sizes().begin(), ind.sizes().end() - 1);
  shape.insert(shape.end(), rest.begin(), rest.end());
  return {rows.reshape(shape)};
} END_OP

// ScatterNd sums duplicate indices, as tfjs does.
OP("ScatterNd") {
  const at::Tensor& ind = in[0];
  const at::Tensor& upd = in[1];
  auto shape = a.ints("shape");
  int64_t k = ind.size(-1);
  at::IntArrayRef rest = at::IntArrayRef(shape).slice(k);
  int64_t rows = 1;
  for (int64_t d = 0; d < k; d++) rows *= shape[d];
  at::Tensor out = at::zeros(rowsOf(rows, rest), upd.options());
  out.index_add_(0, linearIndex(ind, shape), upd.reshape(rowsOf(-1, rest)));
  return {out.reshape(shape)};
} END_OP

// UnsortedSegmentSum: the gradient of gather. Segment ids index the leading axes of x.
OP("UnsortedSegmentSum") {
  const at::Tensor& x = in[0];
  const at::Tensor& ids = in[1];
  at::IntArrayRef rest = x.sizes().slice(ids.dim());
  at::Tensor flatIds = longIdx(ids.reshape({-1}));
  at::Tensor vals = x.reshape(rowsOf(-1, rest));
  // Negative ids are dropped (TensorFlow's rule): their rows add zero to segment 0, which needs no host sync to
  // find out whether any id is negative (this runs in every gather's backward pass).
  at::Tensor keep = flatIds >= 0;
  std::vector<int64_t> keepShape(vals.dim(), 1);
  keepShape[0] = -1;
  at::Tensor out = at::zeros(rowsOf(a.i("numSegments"), rest), vals.options());
  // where, not a product by the mask: a dropped row holding NaN or Infinity must still add exactly zero.
  out.index_add_(0, at::where(keep, flatIds, at::zeros_like(flatIds)), at::where(keep.reshape(keepShape), vals, at::zeros_like(vals)));
  return {out};
} END_OP

OP("OneHot") {
  at::Tensor ind = longIdx(in[0]);
  int64_t depth = a.i("depth");
  at::Tensor valid = (ind >= 0) & (ind < depth);
  at::Tensor hot = at::one_hot(at::where(valid, ind, at::zeros_like(ind)), depth) * valid.unsqueeze(-1);
  double on = a.f("onValue", 1.0), off = a.f("offValue", 0.0);
  at::ScalarType t = dtypeOf(a.s("dtype", "int32"));
  return {(hot.to(at::kFloat) * (on - off) + off).to(t)};
} END_OP

OP("Fill") { return {at::full(a.ints("shape"), a.f("value"), opts(dtypeOf(a.s("dtype", "float32"))))}; } END_OP
OP("Range") {
  at::ScalarType t = dtypeOf(a.s("dtype", "float32"));
  return {at::arange(a.f("start"), a.f("stop"), a.f("step"), opts(at::kDouble)).to(t)};
} END_OP
OP("LinSpace") { return {at::linspace(a.f("start"), a.f("stop"), a.i("num"), opts(at::kFloat))}; } END_OP
OP("Diag") {
  (void)a;
  const at::Tensor& x = in[0];
  std::vector<int64_t> shape(x.sizes().begin(), x.sizes().end());
  shape.insert(shape.end(), x.sizes().begin(), x.sizes().end());
  return {at::diag(x.reshape({-1})).reshape(shape)};
} END_OP
