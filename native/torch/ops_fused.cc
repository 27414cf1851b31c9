// The library's fused kernels (src/tensor/silu.ts, group-norm.ts, fused-adam.ts) on libtorch: each is one addon
// call where the tfjs-ops version is 2-35 dispatches, and per-dispatch cost (~15 us here) dominates at these sizes.
#include "ops.h"
#include <ATen/Parallel.h>
#include <cmath>

using namespace scorelab;

OP("ScorelabSilu") { return {at::silu(in[0])}; } END_OP
// Inputs (x, dy), the order of silu.ts's gradient.
OP("ScorelabSiluGrad") { return {at::silu_backward(in[1], in[0])}; } END_OP

// Group norm (ScorelabGroupNorm, ScorelabGroupNormGrad) lives in ops_group_norm.cc.

// Global sum of squares of a list of float32 tensors, accumulated in double (FusedAdam.globalNorm).
OP("ScorelabSumSquares") {
  // A loop, not t.to(kDouble).square().sum(): that made two double copies (2.4 ms of a 36 ms W2 step).
  double s = 0;
  for (const auto& t0 : in) {
    // Device tensors: ATen's reduction (the loop below reads host memory).
    if (!t0.is_cpu()) { s += t0.to(at::kDouble).square().sum().item<double>(); continue; }
    at::Tensor t = t0.contiguous();
    const float* p = t.data_ptr<float>();
    // Eight independent chains: one serial double sum is bound by the add latency.
    double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    int64_t n = t.numel(), k = 0;
    for (; k + 8 <= n; k += 8)
      for (int j = 0; j < 8; j++) acc[j] += static_cast<double>(p[k + j]) * p[k + j];
    for (; k < n; k++) acc[0] += static_cast<double>(p[k]) * p[k];
    for (double v : acc) s += v;
  }
  // A diverging run's sum exceeds float32: it becomes Infinity (the trainer's finite check stops there), not an
  // ATen overflow error.
  return {at::scalar_tensor(static_cast<float>(s), opts(at::kFloat))};
} END_OP

namespace {
// Adam's constants for one step, in the float32 of tf.train.adam.
struct AdamConsts { float factor, lr, b1, b2, c1, c2, bc1, bc2, eps; };

// Branch-free loops over restrict pointers so that the compiler vectorises them (with -fno-math-errno for the
// square root): as a scalar loop the update was 6% of a small MLP's whole training step. Vector division and
// square root round as the scalar ones do, so the results are unchanged bit for bit.
void adamLoop(int64_t lo, int64_t hi, const float* __restrict pw, const float* __restrict pg, const float* pm, const float* ps,
              float* __restrict pwo, float* pmo, float* pso, const AdamConsts& k) {
  for (int64_t j = lo; j < hi; j++) {
    float gi = pg[j] * k.factor;
    float mi = pm[j] * k.b1 + gi * k.c1;
    float si = ps[j] * k.b2 + (gi * gi) * k.c2;
    pwo[j] = (mi / k.bc1) / (std::sqrt(si / k.bc2) + k.eps) * -k.lr + pw[j];
    pmo[j] = mi;
    pso[j] = si;
  }
}

void emaLoop(int64_t lo, int64_t hi, const float* __restrict pe, const float* __restrict pw, float* __restrict peo, float d, float cd) {
  for (int64_t j = lo; j < hi; j++) peo[j] = pe[j] * d + pw[j] * cd;
}
}  // namespace

// One Adam step per variable with the float32 arithmetic of native/scorelab_blas.c's adam_loop (itself that of
// tf.train.adam). Inputs per variable: w, g, m, v[, ema]; outputs: all w', then m', v'[, ema'].
OP("ScorelabAdamStep") {
  const int64_t n = a.i("count");
  const bool ema = a.b("ema");
  const int64_t per = ema ? 5 : 4;
  if (static_cast<int64_t>(in.size()) != n * per) throw std::invalid_argument("ScorelabAdamStep: expected " + std::to_string(n * per) + " inputs");
  const float factor = a.f("factor"), lr = a.f("lr"), b1 = a.f("b1"), b2 = a.f("b2"), eps = a.f("eps");
  const float c1 = static_cast<float>(1.0 - a.f("b1")), c2 = static_cast<float>(1.0 - a.f("b2"));
  const float bc1 = a.f("bc1"), bc2 = a.f("bc2"), d = a.f("decay"), cd = static_cast<float>(1.0 - a.f("decay"));
  const AdamConsts k{factor, lr, b1, b2, c1, c2, bc1, bc2, eps};
  Tensors outs(n * (ema ? 4 : 3));
  for (int64_t i = 0; i < n; i++) {
    at::Tensor w = in[i * per].contiguous(), g = in[i * per + 1].contiguous(), m = in[i * per + 2].contiguous(), s = in[i * per + 3].contiguous();
    at::Tensor e = ema ? in[i * per + 4].contiguous() : at::Tensor();
    if (!w.is_cpu()) {
      // Device tensors: the same float32 arithmetic as ATen element-wise ops (the loop below reads host memory).
      at::Tensor gi = g * factor;
      at::Tensor mi = m * b1 + gi * c1;
      at::Tensor si = s * b2 + (gi * gi) * c2;
      at::Tensor wi = (mi / bc1) / (at::sqrt(si / bc2) + eps) * -lr + w;
      outs[i] = wi; outs[n + i] = mi; outs[2 * n + i] = si;
      if (ema) outs[3 * n + i] = e * d + wi * cd;
      continue;
    }
    // The moments belong to FusedAdam alone (it frees the old ones as it takes these), so they are updated in
    // place: fresh multi-MB buffers each step cost page faults. Weights and EMA get new storage, since
    // trainScore's snapshot clones share the old weights' data.
    at::Tensor wo = at::empty_like(w), mo = m, so = s, eo = ema ? at::empty_like(w) : at::Tensor();
    const float *pw = w.data_ptr<float>(), *pg = g.data_ptr<float>(), *pm = m.data_ptr<float>(), *ps = s.data_ptr<float>();
    const float* pe = ema ? e.data_ptr<float>() : nullptr;
    float *pwo = wo.data_ptr<float>(), *pmo = mo.data_ptr<float>(), *pso = so.data_ptr<float>(), *peo = ema ? eo.data_ptr<float>() : nullptr;
    at::parallel_for(0, w.numel(), 16384, [&](int64_t lo, int64_t hi) {
      adamLoop(lo, hi, pw, pg, pm, ps, pwo, pmo, pso, k);
      if (peo) emaLoop(lo, hi, pe, pwo, peo, d, cd);
    });
    outs[i] = wo; outs[n + i] = mo; outs[2 * n + i] = so;
    if (ema) outs[3 * n + i] = eo;
  }
  return outs;
} END_OP
