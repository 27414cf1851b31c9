// The denoising score matching loss's element-wise ends (src/tensor/dsm-loss.ts, called by src/score/dsm-loss.ts):
// perturbing x0 with the SDE's marginal and the mean squared error of the network's output, each one addon op
// forward and one backward. As tfjs ops they were 17 engine dispatches per training step (5 to perturb, 3 for the
// loss, 9 for its gradient), each ~10 us of tfjs around ~1 us of ATen on these small tensors.
// Each op runs the ATen functions the tfjs kernels of the composition run, in the same order, so the results are
// the composition's bit for bit.
#include "ops.h"

using namespace scorelab;

namespace {
// [n] -> [n, 1, ..., 1], to broadcast a per-row factor against x [n, ...].
at::Tensor row(const at::Tensor& f, const at::Tensor& x, const char* op) {
  if (f.numel() != x.size(0)) throw std::invalid_argument(std::string(op) + ": a per-row factor must have " + std::to_string(x.size(0)) + " values, got " + std::to_string(f.numel()));
  std::vector<int64_t> shape(x.dim(), 1);
  shape[0] = x.size(0);
  return f.reshape(shape);
}

void sameShape(const at::Tensor& a, const at::Tensor& b, const char* op, const char* what) {
  if (!a.sizes().equals(b.sizes())) throw std::invalid_argument(std::string(op) + ": " + what + " must be shaped like the first input");
}
}  // namespace

// Inputs (x0 [n, ...], eps like x0, a [n], s [n]) -> x0 a + eps s, the marginal's sample x_t (Song et al. 2021, eq. 29).
OP("ScorelabDsmPerturb") {
  const at::Tensor &x0 = in[0], &eps = in[1];
  sameShape(x0, eps, "ScorelabDsmPerturb", "eps");
  return {at::add(at::mul(x0, row(in[2], x0, "ScorelabDsmPerturb")), at::mul(eps, row(in[3], x0, "ScorelabDsmPerturb")))};
} END_OP

// Inputs (f, target like f[, w broadcastable to f]) -> mean((f - target)^2 [* w]), a scalar.
OP("ScorelabDsmSquaredError") {
  sameShape(in[0], in[1], "ScorelabDsmSquaredError", "target");
  at::Tensor err = at::square(at::sub(in[0], in[1]));
  if (in.size() > 2) err = at::mul(err, in[2]);
  // Over the list of all axes, as tfjs's Mean kernel calls it (a different ATen reduction could round otherwise).
  std::vector<int64_t> axes(err.dim());
  for (int64_t d = 0; d < err.dim(); d++) axes[d] = d;
  return {at::mean(err, axes, false)};
} END_OP

// Inputs (dy [], f, target[, w]) -> d/df = (dy / N [* w]) * 2 (f - target): tfjs's Mean gradient (dy / N), then
// Multiply's (times w), then Square's (times 2 (f - target)), in that order.
OP("ScorelabDsmSquaredErrorGrad") {
  const at::Tensor &dy = in[0], &f = in[1];
  // N as a float32 scalar tensor, as tfjs's RealDiv receives it.
  at::Tensor g = at::div(dy.reshape({}).expand(f.sizes()), at::scalar_tensor(static_cast<float>(f.numel()), f.options()));
  if (in.size() > 3) g = at::mul(g, in[3]);
  return {at::mul(g, at::mul(at::sub(f, in[2]), 2.0))};
} END_OP
