// Group normalisation (Wu & He 2018, eqs. 1-4) of NHWC images in their own memory, forward and backward, for
// src/tensor/group-norm.ts on torch. ATen's CPU group norm works on NCHW memory: going through it cost a
// transposing copy of x (and of dy) on the way in and a strided or transposing copy of the result on the way out,
// and its 1.13 backward gives wrong gradients on channels-last input, so it cannot simply be handed the view.
// Here every loop runs over pixels with channels innermost, so it vectorises over channels and reads x once per pass.
// Device tensors keep ATen's kernel.
#include "ops.h"
#include <ATen/Parallel.h>
#include <cmath>
#include <vector>

using namespace scorelab;

namespace {

struct Dims { int64_t n, hw, c, groups, cg; };

Dims dimsOf(const at::Tensor& x, const at::Tensor& gamma, int64_t groups, const char* op) {
  if (x.dim() != 4 || x.scalar_type() != at::kFloat) throw std::invalid_argument(std::string(op) + ": x must be a float32 NHWC tensor, got rank " + std::to_string(x.dim()));
  const int64_t c = x.size(3);
  if (groups < 1 || c % groups != 0) throw std::invalid_argument(std::string(op) + ": groups " + std::to_string(groups) + " must divide the " + std::to_string(c) + " channels");
  if (gamma.numel() != c) throw std::invalid_argument(std::string(op) + ": gamma must have " + std::to_string(c) + " values, got " + std::to_string(gamma.numel()));
  return {x.size(0), x.size(1) * x.size(2), c, groups, c / groups};
}

// Per-channel sums over the pixels of one sample (double accumulators: a group holds up to hw * cg values).
void channelSums(const float* __restrict x, const float* __restrict dy, const Dims& d, double* __restrict s, double* __restrict s2) {
  for (int64_t ch = 0; ch < d.c; ch++) { s[ch] = 0; s2[ch] = 0; }
  for (int64_t p = 0; p < d.hw; p++) {
    const float* xp = x + p * d.c;
    const float* yp = dy ? dy + p * d.c : xp;
    for (int64_t ch = 0; ch < d.c; ch++) { s[ch] += yp[ch]; s2[ch] += static_cast<double>(yp[ch]) * xp[ch]; }
  }
}

// Mean and 1 / sqrt(var + eps) of each group of one sample, from its channel sums; var is the biased variance.
void groupStats(const double* s, const double* s2, const Dims& d, double eps, double* mean, double* rstd) {
  const double m = static_cast<double>(d.hw * d.cg);
  for (int64_t g = 0; g < d.groups; g++) {
    double a = 0, b = 0;
    for (int64_t k = g * d.cg; k < (g + 1) * d.cg; k++) { a += s[k]; b += s2[k]; }
    mean[g] = a / m;
    rstd[g] = 1.0 / std::sqrt(std::max(0.0, b / m - mean[g] * mean[g]) + eps);
  }
}

// out[p, ch] = u[p, ch] * scale[ch] + v[p, ch] * vscale[ch] + shift[ch] (v may be null).
void affine(const float* __restrict u, const float* __restrict v, const float* __restrict scale, const float* __restrict vscale,
            const float* __restrict shift, const Dims& d, float* __restrict out) {
  for (int64_t p = 0; p < d.hw; p++) {
    const float* up = u + p * d.c;
    float* op = out + p * d.c;
    if (v) {
      const float* vp = v + p * d.c;
      for (int64_t ch = 0; ch < d.c; ch++) op[ch] = up[ch] * scale[ch] + vp[ch] * vscale[ch] + shift[ch];
    } else {
      for (int64_t ch = 0; ch < d.c; ch++) op[ch] = up[ch] * scale[ch] + shift[ch];
    }
  }
}

// Per-thread scratch: channel sums, group statistics and per-channel coefficients.
struct Scratch {
  std::vector<double> s, s2, mean, rstd;
  std::vector<float> k1, k2, k3;
  explicit Scratch(const Dims& d) : s(d.c), s2(d.c), mean(d.groups), rstd(d.groups), k1(d.c), k2(d.c), k3(d.c) {}
};

}  // namespace

OP("ScorelabGroupNorm") {
  const at::Tensor& x0 = in[0];
  const int64_t groups = a.i("groups");
  const double eps = a.f("eps");
  if (!x0.is_cpu()) {
    at::Tensor xc = toNCHW(x0).contiguous();
    auto r = at::native_group_norm(xc, in[1], in[2], x0.size(0), x0.size(3), x0.size(1) * x0.size(2), groups, eps);
    return {toNHWC(std::get<0>(r)).contiguous()};
  }
  at::Tensor x = x0.contiguous(), gamma = in[1].contiguous(), beta = in[2].contiguous();
  const Dims d = dimsOf(x, gamma, groups, "ScorelabGroupNorm");
  at::Tensor y = at::empty_like(x);
  const float *px = x.data_ptr<float>(), *pg = gamma.data_ptr<float>(), *pb = beta.data_ptr<float>();
  float* py = y.data_ptr<float>();
  at::parallel_for(0, d.n, 1, [&](int64_t lo, int64_t hi) {
    Scratch w(d);
    for (int64_t i = lo; i < hi; i++) {
      const float* xi = px + i * d.hw * d.c;
      channelSums(xi, nullptr, d, w.s.data(), w.s2.data());
      groupStats(w.s.data(), w.s2.data(), d, eps, w.mean.data(), w.rstd.data());
      // y = (x - mean) rstd gamma + beta = x * k1 + k3.
      for (int64_t ch = 0; ch < d.c; ch++) {
        const int64_t g = ch / d.cg;
        w.k1[ch] = static_cast<float>(w.rstd[g] * pg[ch]);
        w.k3[ch] = static_cast<float>(pb[ch] - w.mean[g] * w.rstd[g] * pg[ch]);
      }
      affine(xi, nullptr, w.k1.data(), nullptr, w.k3.data(), d, py + i * d.hw * d.c);
    }
  });
  return {y};
} END_OP

// Inputs (x, gamma, dy) -> (dx, dgamma, dbeta); the statistics are recomputed (one pass over x) rather than kept.
// With xhat = (x - mean) rstd and M = hw * cg values per group:
//   dgamma_c = sum dy xhat,  dbeta_c = sum dy,
//   dx = rstd (gamma dy - mean_g(gamma dy) - xhat mean_g(gamma dy xhat)),
// which per channel is dx = k1 dy + k2 x + k3 with constants per sample and group.
OP("ScorelabGroupNormGrad") {
  const at::Tensor& x0 = in[0];
  const int64_t groups = a.i("groups");
  const double eps = a.f("eps");
  if (!x0.is_cpu()) {
    at::Tensor xc = toNCHW(x0).contiguous(), dy = toNCHW(in[2]).contiguous();
    const int64_t n = x0.size(0), c = x0.size(3), hw = x0.size(1) * x0.size(2);
    auto f = at::native_group_norm(xc, in[1], at::Tensor(), n, c, hw, groups, eps);
    auto r = at::native_group_norm_backward(dy, xc, std::get<1>(f), std::get<2>(f), in[1], n, c, hw, groups, {true, true, true});
    return {toNHWC(std::get<0>(r)).contiguous(), std::get<1>(r), std::get<2>(r)};
  }
  at::Tensor x = x0.contiguous(), gamma = in[1].contiguous(), dy = in[2].contiguous();
  const Dims d = dimsOf(x, gamma, groups, "ScorelabGroupNormGrad");
  if (!dy.sizes().equals(x.sizes())) throw std::invalid_argument("ScorelabGroupNormGrad: dy must be shaped like x");
  at::Tensor dx = at::empty_like(x);
  const float *px = x.data_ptr<float>(), *pg = gamma.data_ptr<float>(), *pdy = dy.data_ptr<float>();
  float* pdx = dx.data_ptr<float>();
  // dgamma and dbeta are sums over samples: each sample's share is kept and they are added in sample order, so
  // the result is the same for every thread count.
  std::vector<double> dgs(d.n * d.c), dbs(d.n * d.c);
  at::parallel_for(0, d.n, 1, [&](int64_t lo, int64_t hi) {
    Scratch w(d);
    std::vector<double> sx(d.c), sxx(d.c);
    for (int64_t i = lo; i < hi; i++) {
      double* dg = dgs.data() + i * d.c;
      double* db = dbs.data() + i * d.c;
      const float* xi = px + i * d.hw * d.c;
      const float* dyi = pdy + i * d.hw * d.c;
      channelSums(xi, nullptr, d, sx.data(), sxx.data());
      groupStats(sx.data(), sxx.data(), d, eps, w.mean.data(), w.rstd.data());
      // s = sum dy, s2 = sum dy x, per channel.
      channelSums(xi, dyi, d, w.s.data(), w.s2.data());
      const double m = static_cast<double>(d.hw * d.cg);
      for (int64_t g = 0; g < d.groups; g++) {
        double sdy = 0, sdyx = 0;  // sums of gamma dy and gamma dy x over the group
        for (int64_t ch = g * d.cg; ch < (g + 1) * d.cg; ch++) { sdy += pg[ch] * w.s[ch]; sdyx += pg[ch] * w.s2[ch]; }
        const double mu = w.mean[g], r = w.rstd[g];
        const double m1 = sdy / m;                       // mean_g(gamma dy)
        const double m2 = r * (sdyx - mu * sdy) / m;     // mean_g(gamma dy xhat)
        const double kx = -r * r * m2, k0 = -r * m1 + mu * r * r * m2;
        for (int64_t ch = g * d.cg; ch < (g + 1) * d.cg; ch++) {
          w.k1[ch] = static_cast<float>(r * pg[ch]);
          w.k2[ch] = static_cast<float>(kx);
          w.k3[ch] = static_cast<float>(k0);
          dg[ch] = r * (w.s2[ch] - mu * w.s[ch]);
          db[ch] = w.s[ch];
        }
      }
      affine(dyi, xi, w.k1.data(), w.k2.data(), w.k3.data(), d, pdx + i * d.hw * d.c);
    }
  });
  at::Tensor dgamma = at::empty({d.c}, x.options()), dbeta = at::empty({d.c}, x.options());
  float *pdg = dgamma.data_ptr<float>(), *pdb = dbeta.data_ptr<float>();
  for (int64_t ch = 0; ch < d.c; ch++) {
    double g = 0, b = 0;
    for (int64_t i = 0; i < d.n; i++) { g += dgs[i * d.c + ch]; b += dbs[i * d.c + ch]; }
    pdg[ch] = static_cast<float>(g);
    pdb[ch] = static_cast<float>(b);
  }
  return {dx, dgamma.reshape(in[1].sizes()), dbeta.reshape(in[1].sizes())};
} END_OP
