// A stack of dense layers (the score MLP and the refinement discriminator, src/score/network.ts denseStack) as one
// op forward and one op backward. Written as tfjs ops the stack is four fused products and three activations
// forward and about thirty kernels backward, each a trip through tfjs's engine; for the small networks of the
// paper studies that trip, not the arithmetic, was most of a training step.
#include "ops.h"
#include <ATen/Parallel.h>
#include <algorithm>

namespace scorelab {
namespace {

// About a millisecond's share of work per thread before a product is split: below that, waking the other threads
// costs more than it saves.
constexpr int64_t kSplitMacs = int64_t(1) << 20;

// out = x w (+ bias), rows split over ATen's threads. OpenBLAS runs one thread inside the addon (its own pool
// spinning beside ATen's made products slower, scripts/../addon.ts), so without the split a product used one core.
void product(at::Tensor& out, const at::Tensor& x, const at::Tensor& w, const at::Tensor& bias) {
  if (!x.is_cpu()) {
    if (bias.defined()) at::addmm_out(out, bias, x, w); else at::mm_out(out, x, w);
    return;
  }
  const int64_t perRow = std::max<int64_t>(1, x.size(1) * w.size(1));
  at::parallel_for(0, x.size(0), std::max<int64_t>(1, kSplitMacs / perRow), [&](int64_t lo, int64_t hi) {
    at::Tensor o = out.narrow(0, lo, hi - lo);
    if (bias.defined()) at::addmm_out(o, bias, x.narrow(0, lo, hi - lo), w);
    else at::mm_out(o, x.narrow(0, lo, hi - lo), w);
  });
}

// dw = a^T dz: a sum over the batch rows, so it is split over the rows of dw (the columns of a) instead.
void weightGrad(at::Tensor& dw, const at::Tensor& a, const at::Tensor& dz) {
  if (!a.is_cpu()) { at::mm_out(dw, a.t(), dz); return; }
  const int64_t perRow = std::max<int64_t>(1, a.size(0) * dz.size(1));
  at::parallel_for(0, a.size(1), std::max<int64_t>(1, kSplitMacs / perRow), [&](int64_t lo, int64_t hi) {
    at::Tensor o = dw.narrow(0, lo, hi - lo);
    at::mm_out(o, a.narrow(1, lo, hi - lo).t(), dz);
  });
}

enum class Act { Silu, Relu, Tanh, Elu };

Act actOf(const std::string& s) {
  if (s == "silu") return Act::Silu;
  if (s == "relu") return Act::Relu;
  if (s == "tanh") return Act::Tanh;
  if (s == "elu") return Act::Elu;
  throw std::invalid_argument("ScorelabDenseStack: activation '" + s + "' is not one of silu, relu, tanh, elu");
}

at::Tensor forwardAct(const at::Tensor& z, Act act) {
  switch (act) {
    case Act::Silu: return at::silu(z);
    case Act::Relu: return at::relu(z);
    case Act::Tanh: return at::tanh(z);
    case Act::Elu: return at::elu(z);
  }
  return z;
}

// The gradients tfjs's own kernels give: ReLU's is 0 at z = 0, ELU's is 1 there.
at::Tensor backwardAct(const at::Tensor& da, const at::Tensor& z, Act act) {
  switch (act) {
    case Act::Silu: return at::silu_backward(da, z);
    case Act::Relu: return at::threshold_backward(da, z, 0);
    case Act::Tanh: return at::tanh_backward(da, at::tanh(z));
    case Act::Elu: return at::elu_backward(da, 1.0, 1.0, 1.0, false, z);
  }
  return da;
}

// The weights of a stack within an op's inputs: W_l at base + 1 + 2l and b_l after it, h at base.
struct Stack {
  int64_t depth;
  Act act;
  size_t base;
  const at::Tensor& h(const Tensors& in) const { return in[base]; }
  const at::Tensor& w(const Tensors& in, int64_t l) const { return in[base + 1 + 2 * l]; }
  const at::Tensor& b(const Tensors& in, int64_t l) const { return in[base + 2 + 2 * l]; }
  size_t end() const { return base + 2 * (depth + 1) + 1; }
};

Stack stackOf(const Tensors& in, const Attrs& a, size_t base, size_t extra) {
  Stack s{a.i("depth"), actOf(a.s("activation")), base};
  if (s.depth < 1 || in.size() != s.end() + extra)
    throw std::invalid_argument("ScorelabDenseStack: expected " + std::to_string(s.end() + extra) + " inputs for depth " + std::to_string(s.depth) + ", got " + std::to_string(in.size()));
  return s;
}

at::Tensor empty2(int64_t m, int64_t n, const at::Tensor& like) { return at::empty({m, n}, like.options()); }

}  // namespace

// Inputs: h [n, k], then W0, b0, ..., W_depth, b_depth. Outputs: the stack's output, then the pre-activations
// z_0 .. z_{depth-1} (the backward op takes them, so nothing is computed twice).
OP("ScorelabDenseStack") {
  Stack s = stackOf(in, a, 0, 0);
  Tensors outs(s.depth + 1);
  at::Tensor h = s.h(in).contiguous();
  const int64_t n = h.size(0);
  for (int64_t l = 0; l < s.depth; l++) {
    at::Tensor z = empty2(n, s.w(in, l).size(1), h);
    product(z, h, s.w(in, l), s.b(in, l));
    outs[1 + l] = z;
    h = forwardAct(z, s.act);
  }
  at::Tensor y = empty2(n, s.w(in, s.depth).size(1), h);
  product(y, h, s.w(in, s.depth), s.b(in, s.depth));
  outs[0] = y;
  return outs;
} END_OP

// Inputs: dy, then the forward op's inputs, then its pre-activations. mode "input" returns d/dh; mode "weights"
// returns dW0, db0, ..., dW_depth, db_depth. Two modes because tfjs asks for the input's gradient and the
// weights' gradients separately, and most calls need only one of them (training: the weights; a divergence or a
// guidance gradient: the input).
OP("ScorelabDenseStackGrad") {
  const int64_t depth = a.i("depth");
  Stack s = stackOf(in, a, 1, depth);
  const std::string mode = a.s("mode");
  if (mode != "input" && mode != "weights") throw std::invalid_argument("ScorelabDenseStackGrad: mode must be input or weights, got '" + mode + "'");
  const bool weights = mode == "weights";
  auto z = [&](int64_t l) -> const at::Tensor& { return in[s.end() + l]; };
  Tensors outs(weights ? 2 * (depth + 1) : 1);
  at::Tensor dz = in[0].contiguous();
  const int64_t n = dz.size(0);
  for (int64_t l = depth; l >= 0; l--) {
    const at::Tensor& w = s.w(in, l);
    if (weights) {
      at::Tensor input = l == 0 ? s.h(in).contiguous() : forwardAct(z(l - 1), s.act);
      at::Tensor dw = empty2(w.size(0), w.size(1), w);
      weightGrad(dw, input, dz);
      outs[2 * l] = dw;
      outs[2 * l + 1] = dz.sum(0).reshape(s.b(in, l).sizes());
      if (l == 0) break;
    }
    at::Tensor da = empty2(n, w.size(0), dz);
    product(da, dz, w.t(), at::Tensor());
    if (l == 0) { outs[0] = da; break; }
    dz = backwardAct(da, z(l - 1), s.act);
  }
  return outs;
} END_OP

}  // namespace scorelab
