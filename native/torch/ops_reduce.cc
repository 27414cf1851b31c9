// Reductions, scans, softmax, top-k and the matrix products (plain, batched and fused with bias and activation).
#include "ops.h"

using namespace scorelab;

// tfjs's axis attribute: a number, an array, or null for every axis; an empty list reduces nothing.
static std::vector<int64_t> reduceAxes(const Attrs& a, const at::Tensor& x) {
  if (!a.has("axis")) { std::vector<int64_t> all; for (int64_t d = 0; d < x.dim(); d++) all.push_back(d); return all; }
  return normAxes(a.ints("axis"), x.dim());
}

template <typename F>
static at::Tensor overAxes(at::Tensor x, std::vector<int64_t> axes, bool keep, F f) {
  std::sort(axes.rbegin(), axes.rend());
  for (int64_t ax : axes) x = f(x, ax, keep);
  return x;
}

OP("Sum") {
  auto axes = reduceAxes(a, in[0]);
  at::Tensor x = in[0].scalar_type() == at::kBool ? in[0].to(at::kInt) : in[0];
  if (axes.empty()) return {x};
  return {at::sum(x, axes, a.b("keepDims"))};
} END_OP
OP("Mean") {
  auto axes = reduceAxes(a, in[0]);
  at::Tensor x = in[0].is_floating_point() ? in[0] : in[0].to(at::kFloat);
  if (axes.empty()) return {x};
  return {at::mean(x, axes, a.b("keepDims"))};
} END_OP
OP("Max") {
  auto axes = reduceAxes(a, in[0]);
  if (axes.empty()) return {in[0]};
  return {at::amax(in[0], axes, a.b("keepDims"))};
} END_OP
OP("Min") {
  auto axes = reduceAxes(a, in[0]);
  if (axes.empty()) return {in[0]};
  return {at::amin(in[0], axes, a.b("keepDims"))};
} END_OP
OP("Prod") {
  at::Tensor x = in[0].scalar_type() == at::kBool ? in[0].to(at::kInt) : in[0];
  return {overAxes(x, reduceAxes(a, in[0]), a.b("keepDims"), [](const at::Tensor& t, int64_t ax, bool k) { return at::prod(t, ax, k); })};
} END_OP
OP("All") {
  return {overAxes(in[0].to(at::kBool), reduceAxes(a, in[0]), a.b("keepDims"), [](const at::Tensor& t, int64_t ax, bool k) { return at::all(t, ax, k); })};
} END_OP
OP("Any") {
  return {overAxes(in[0].to(at::kBool), reduceAxes(a, in[0]), a.b("keepDims"), [](const at::Tensor& t, int64_t ax, bool k) { return at::any(t, ax, k); })};
} END_OP
OP("ArgMax") { auto ax = normAxes(a.ints("axis"), in[0].dim()); return {at::argmax(in[0], ax.at(0))}; } END_OP
OP("ArgMin") { auto ax = normAxes(a.ints("axis"), in[0].dim()); return {at::argmin(in[0], ax.at(0))}; } END_OP

OP("Softmax") { return {at::softmax(in[0], normAxes(a.ints("dim"), in[0].dim()).at(0))}; } END_OP

// Cumsum / Cumprod with tfjs's exclusive and reverse flags.
template <typename F>
static at::Tensor scan(const at::Tensor& x0, const Attrs& a, F f, double identity) {
  int64_t ax = normAxes(a.ints("axis"), x0.dim()).at(0);
  bool rev = a.b("reverse"), excl = a.b("exclusive");
  at::Tensor x = x0.scalar_type() == at::kBool ? x0.to(at::kInt) : x0;
  if (rev) x = x.flip(ax);
  at::Tensor y = f(x, ax);
  if (excl && x.size(ax) > 0) {
    at::Tensor first = at::full_like(x.narrow(ax, 0, 1), identity);
    y = at::cat({first, y.narrow(ax, 0, x.size(ax) - 1)}, ax);
  }
  if (rev) y = y.flip(ax);
  return y.to(x.scalar_type());
}
OP("Cumsum") { return {scan(in[0], a, [](const at::Tensor& t, int64_t ax) { return at::cumsum(t, ax); }, 0.0)}; } END_OP
OP("Cumprod") { return {scan(in[0], a, [](const at::Tensor& t, int64_t ax) { return at::cumprod(t, ax); }, 1.0)}; } END_OP

OP("TopK") {
  auto r = at::topk(in[0], a.i("k"), -1, true, a.b("sorted", true));
  return {std::get<0>(r), std::get<1>(r)};
} END_OP

static at::Tensor product(const at::Tensor& a0, const at::Tensor& b0, bool ta, bool tb) {
  at::Tensor x = ta ? a0.transpose(-2, -1) : a0;
  at::Tensor y = tb ? b0.transpose(-2, -1) : b0;
  return at::matmul(x, y);
}

OP("BatchMatMul") { return {product(in[0], in[1], a.b("transposeA"), a.b("transposeB"))}; } END_OP

// _FusedMatMul(a, b, bias?, preluActivationWeights?): one addmm where the shapes allow it (what nn.Linear runs).
OP("_FusedMatMul") {
  bool ta = a.b("transposeA"), tb = a.b("transposeB");
  const at::Tensor& bias = in.size() > 2 ? in[2] : at::Tensor();
  const at::Tensor& prelu = in.size() > 3 ? in[3] : at::Tensor();
  at::Tensor y;
  if (bias.defined() && in[0].dim() == 2 && in[1].dim() == 2 && bias.dim() <= 2) {
    at::Tensor x = ta ? in[0].t() : in[0];
    at::Tensor w = tb ? in[1].t() : in[1];
    y = at::addmm(bias, x, w);
  } else {
    y = product(in[0], in[1], ta, tb);
    if (bias.defined()) y = y + bias;
  }
  return {applyActivation(y, a.s("activation"), prelu, a.f("leakyreluAlpha", 0.2))};
} END_OP

OP("Einsum") {
  std::vector<at::Tensor> xs(in.begin(), in.end());
  return {at::einsum(a.s("equation"), xs)};
} END_OP
