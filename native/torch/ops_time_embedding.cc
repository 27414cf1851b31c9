// The Fourier time embedding (src/tensor/time-embedding.ts for src/score/time-embedding.ts; Tancik et al. 2020):
// one addon op where the tfjs ops are six dispatches, in every training and sampling step.
#include "ops.h"
#include <cmath>

using namespace scorelab;

// Inputs (c [n], w [1, k]) -> [sin(c 2 pi w), cos(c 2 pi w)] [n, 2k], the Fourier time embedding of
// src/score/time-embedding.ts (Tancik et al. 2020) that each training and sampling step computes: one op where the
// tfjs ops are six. 2 pi is rounded to float32 first and multiplied into w, as the tfjs ops do.
OP("ScorelabFourierEmbed") {
  const at::Tensor &c = in[0], &w = in[1];
  if (w.dim() != 2 || w.size(0) != 1) throw std::invalid_argument("ScorelabFourierEmbed: frequencies must be [1, k]");
  at::Tensor arg = at::mul(c.reshape({-1, 1}), at::mul(w, at::scalar_tensor(static_cast<float>(2 * M_PI), w.options())));
  return {at::cat({at::sin(arg), at::cos(arg)}, 1)};
} END_OP
