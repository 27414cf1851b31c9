/*
 * scorelab_blas: OpenBLAS sgemm (and two small loops) run in place on the tfjs wasm heap.
 *
 * The wasm backend keeps every tensor inside one ArrayBuffer (the wasm memory); JS passes that buffer and byte
 * offsets, so no data is copied. Loaded by src/tensor/blas.ts, which checks shapes and dtypes before calling:
 * this file only checks that every range lies inside the buffer (a wrong offset must throw, not corrupt memory).
 *
 * gemm(buf, batch, M, N, K, transA, transB, aOff, aStride, bOff, bStride, cOff, biasOff, act, alpha)
 *   C[i] = act(op(A[i]) op(B[i]) + bias) for i < batch, row-major; strides in floats (0 broadcasts one
 *   matrix), biasOff < 0 means no bias (else N floats), act: 0 linear, 1 relu, 2 relu6, 3 elu, 4 sigmoid,
 *   5 leakyrelu (slope alpha).
 * sumBlock(buf, xOff, outOff, outer, reduce, inner)
 *   out[o, j] = sum_r x[o, r, j]: tf.sum over a contiguous block of axes.
 * sumSquares(buf, off, n) -> number: sum of x^2 (accumulated in double), for the global gradient norm.
 * adam(buf, n, wOff, gOff, mOff, vOff, wOut, mOut, vOut, emaOff, emaOut, factor, lr, b1, b2, eps, bc1, bc2, decay)
 *   One Adam step (Kingma & Ba 2015, Alg. 1, the arithmetic of tf.train.adam) on the gradient g * factor (the
 *   clipping factor), written to the *Out offsets; with emaOff >= 0 also ema' = decay ema + (1 - decay) w'.
 * im2col3x3(buf, xOff, outOff, n, h, w, c, backward)
 *   forward (backward = 0): x [n,h,w,c] -> patches [n*h*w, 9c], rows ordered (dy, dx, c), zero padding 1;
 *   backward (1): patches-shaped gradient at xOff -> its sum back onto [n,h,w,c] at outOff (col2im).
 * silu(buf, xOff, dyOff, outOff, n)
 *   dyOff < 0: out = x sigmoid(x) (SiLU, Elfwing et al. 2018); else its gradient out = dy s (1 + x (1 - s)).
 * groupNorm(buf, xOff, gammaOff, betaOff, yOff, n, hw, c, groups, eps, dyOff, dxOff, dgOff, dbOff)
 *   Group normalisation (Wu & He 2018) of x [n, hw, c] over (hw, c / groups) per sample and group, then
 *   gamma * xhat + beta per channel. dyOff < 0: forward into yOff. Else the backward pass: dx, dgamma, dbeta.
 * setThreads(n) / getThreads(): the OpenBLAS thread count.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <node_api.h>
#include <cblas.h>

/* The element-wise loops get an AVX2 copy chosen at load time where the CPU has it (GCC function multiversioning):
 * the addon stays portable across x86-64 machines while exp and sqrt run 8 wide (libmvec) where they can. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
/* glibc declares these vector variants only under -ffast-math, which would also change NaN and overflow
 * handling; the declarations alone let GCC call libmvec's IEEE-faithful 4- and 8-wide versions. */
extern float expf(float) __attribute__((__simd__("notinbranch")));
extern float expm1f(float) __attribute__((__simd__("notinbranch")));
#else
#define VECTOR_CLONES
#endif

#define CHECK(call)                                                           \
  do {                                                                        \
    if ((call) != napi_ok) {                                                  \
      napi_throw_error(env, NULL, "scorelab_blas: N-API call failed");        \
      return NULL;                                                            \
    }                                                                         \
  } while (0)

static int get_f64(napi_env env, napi_value v, double *out) {
  return napi_get_value_double(env, v, out) == napi_ok;
}

/* Reads argument i as an integer; fails on non-numbers and non-integers. */
static int get_i64(napi_env env, napi_value v, int64_t *out) {
  double d;
  if (!get_f64(env, v, &d) || d != floor(d)) return 0;
  *out = (int64_t)d;
  return 1;
}

static napi_value fail(napi_env env, const char *msg) {
  napi_throw_error(env, NULL, msg);
  return NULL;
}

/* Whether floats [off/4, off/4 + count) lie inside a buffer of `bytes` bytes. */
static int inside(int64_t off, int64_t count, size_t bytes) {
  return off >= 0 && off % 4 == 0 && count >= 0 && (uint64_t)(off + 4 * count) <= bytes;
}

VECTOR_CLONES static void activate(float *c, int64_t n, int act, float alpha) {
  int64_t i;
  switch (act) {
    case 1: for (i = 0; i < n; i++) c[i] = c[i] > 0.f ? c[i] : 0.f; break;
    case 2: for (i = 0; i < n; i++) c[i] = c[i] > 0.f ? (c[i] < 6.f ? c[i] : 6.f) : 0.f; break;
    case 3: for (i = 0; i < n; i++) c[i] = c[i] > 0.f ? c[i] : expm1f(c[i]); break;
    case 4: for (i = 0; i < n; i++) c[i] = 1.f / (1.f + expf(-c[i])); break;
    case 5: for (i = 0; i < n; i++) c[i] = c[i] < 0.f ? alpha * c[i] : c[i]; break;
    default: break;
  }
}

static napi_value gemm(napi_env env, napi_callback_info info) {
  size_t argc = 15;
  napi_value argv[15];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 15) return fail(env, "scorelab_blas.gemm: expected 15 arguments");
  void *data;
  size_t bytes;
  if (napi_get_arraybuffer_info(env, argv[0], &data, &bytes) != napi_ok) return fail(env, "scorelab_blas.gemm: buf must be an ArrayBuffer");
  int64_t v[13];
  for (int i = 0; i < 13; i++) {
    if (!get_i64(env, argv[i + 1], &v[i])) return fail(env, "scorelab_blas.gemm: arguments 2-14 must be integers");
  }
  double alpha;
  if (!get_f64(env, argv[14], &alpha)) return fail(env, "scorelab_blas.gemm: alpha must be a number");
  int64_t batch = v[0], M = v[1], N = v[2], K = v[3];
  int transA = v[4] != 0, transB = v[5] != 0;
  int64_t aOff = v[6], aStride = v[7], bOff = v[8], bStride = v[9], cOff = v[10], biasOff = v[11];
  int act = (int)v[12];
  if (batch < 1 || M < 1 || N < 1 || K < 1 || M > INT32_MAX || N > INT32_MAX || K > INT32_MAX) return fail(env, "scorelab_blas.gemm: sizes must be positive 32-bit integers");
  if (aStride < 0 || bStride < 0 || act < 0 || act > 5) return fail(env, "scorelab_blas.gemm: bad stride or activation");
  if (!inside(aOff, (batch - 1) * aStride + M * K, bytes) || !inside(bOff, (batch - 1) * bStride + K * N, bytes) ||
      !inside(cOff, batch * M * N, bytes) || (biasOff >= 0 && !inside(biasOff, N, bytes))) {
    return fail(env, "scorelab_blas.gemm: an operand lies outside the buffer");
  }
  float *base = (float *)data;
  const float *A = base + aOff / 4, *B = base + bOff / 4, *bias = biasOff >= 0 ? base + biasOff / 4 : NULL;
  float *C = base + cOff / 4;
  int m = (int)M, n = (int)N, k = (int)K;
  for (int64_t i = 0; i < batch; i++) {
    float *c = C + i * M * N;
    float beta = 0.f;
    if (bias) {
      /* Seeding C with the bias lets sgemm add the product to it (beta = 1): one pass fewer. */
      for (int64_t r = 0; r < M; r++) memcpy(c + r * N, bias, (size_t)N * sizeof(float));
      beta = 1.f;
    }
    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans, m, n, k, 1.f,
                A + i * aStride, transA ? m : k, B + i * bStride, transB ? k : n, beta, c, n);
    activate(c, M * N, act, (float)alpha);
  }
  return NULL;
}

static napi_value sum_block(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 6) return fail(env, "scorelab_blas.sumBlock: expected 6 arguments");
  void *data;
  size_t bytes;
  if (napi_get_arraybuffer_info(env, argv[0], &data, &bytes) != napi_ok) return fail(env, "scorelab_blas.sumBlock: buf must be an ArrayBuffer");
  int64_t v[5];
  for (int i = 0; i < 5; i++) {
    if (!get_i64(env, argv[i + 1], &v[i])) return fail(env, "scorelab_blas.sumBlock: arguments 2-6 must be integers");
  }
  int64_t xOff = v[0], outOff = v[1], outer = v[2], reduce = v[3], inner = v[4];
  if (outer < 1 || reduce < 1 || inner < 1) return fail(env, "scorelab_blas.sumBlock: sizes must be positive");
  if (!inside(xOff, outer * reduce * inner, bytes) || !inside(outOff, outer * inner, bytes)) return fail(env, "scorelab_blas.sumBlock: an operand lies outside the buffer");
  const float *x = (const float *)data + xOff / 4;
  float *out = (float *)data + outOff / 4;
  for (int64_t o = 0; o < outer; o++) {
    const float *xo = x + o * reduce * inner;
    float *y = out + o * inner;
    if (inner == 1) {
      /* A row sum: four partial sums keep the adds independent (and the rounding closer to a tree). */
      float s0 = 0.f, s1 = 0.f, s2 = 0.f, s3 = 0.f;
      int64_t r = 0;
      for (; r + 4 <= reduce; r += 4) { s0 += xo[r]; s1 += xo[r + 1]; s2 += xo[r + 2]; s3 += xo[r + 3]; }
      for (; r < reduce; r++) s0 += xo[r];
      y[0] = (s0 + s1) + (s2 + s3);
    } else {
      /* Column sums: add whole rows, which the compiler vectorises. */
      memcpy(y, xo, (size_t)inner * sizeof(float));
      for (int64_t r = 1; r < reduce; r++) {
        const float *row = xo + r * inner;
        for (int64_t j = 0; j < inner; j++) y[j] += row[j];
      }
    }
  }
  return NULL;
}

static napi_value sum_squares(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3], result;
  void *data;
  size_t bytes;
  int64_t off, n;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 3 || napi_get_arraybuffer_info(env, argv[0], &data, &bytes) != napi_ok || !get_i64(env, argv[1], &off) ||
      !get_i64(env, argv[2], &n) || n < 0 || !inside(off, n, bytes)) {
    return fail(env, "scorelab_blas.sumSquares: expected (ArrayBuffer, offset, n) inside the buffer");
  }
  const float *x = (const float *)data + off / 4;
  double s = 0.0;
  for (int64_t i = 0; i < n; i++) s += (double)x[i] * (double)x[i];
  CHECK(napi_create_double(env, s, &result));
  return result;
}

VECTOR_CLONES static void adam_loop(int64_t n, const float *w, const float *g, const float *m, const float *s, float *wo, float *mo,
                                     float *so, const float *e, float *eo, float factor, float lr, float b1, float b2, float eps,
                                     float c1, float c2, float bc1, float bc2, float d, float cd) {
  for (int64_t i = 0; i < n; i++) {
    float gi = g[i] * factor;
    float mi = m[i] * b1 + gi * c1;
    float si = s[i] * b2 + (gi * gi) * c2;
    float wi = (mi / bc1) / (sqrtf(si / bc2) + eps) * -lr + w[i];
    mo[i] = mi;
    so[i] = si;
    wo[i] = wi;
    if (eo) eo[i] = e[i] * d + wi * cd;
  }
}

static napi_value adam(napi_env env, napi_callback_info info) {
  size_t argc = 19;
  napi_value argv[19];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 19) return fail(env, "scorelab_blas.adam: expected 19 arguments");
  void *data;
  size_t bytes;
  if (napi_get_arraybuffer_info(env, argv[0], &data, &bytes) != napi_ok) return fail(env, "scorelab_blas.adam: buf must be an ArrayBuffer");
  int64_t v[10];
  for (int i = 0; i < 10; i++) {
    if (!get_i64(env, argv[i + 1], &v[i])) return fail(env, "scorelab_blas.adam: arguments 2-11 must be integers");
  }
  double p[8];
  for (int i = 0; i < 8; i++) {
    if (!get_f64(env, argv[i + 11], &p[i])) return fail(env, "scorelab_blas.adam: arguments 12-19 must be numbers");
  }
  int64_t n = v[0];
  int ema = v[8] >= 0;
  if (n < 1) return fail(env, "scorelab_blas.adam: n must be positive");
  for (int i = 1; i <= 6; i++) {
    if (!inside(v[i], n, bytes)) return fail(env, "scorelab_blas.adam: an operand lies outside the buffer");
  }
  if (ema && (!inside(v[8], n, bytes) || !inside(v[9], n, bytes))) return fail(env, "scorelab_blas.adam: the EMA lies outside the buffer");
  float *base = (float *)data;
  const float *w = base + v[1] / 4, *g = base + v[2] / 4, *m = base + v[3] / 4, *s = base + v[4] / 4;
  float *wo = base + v[5] / 4, *mo = base + v[6] / 4, *so = base + v[7] / 4;
  const float *e = ema ? base + v[8] / 4 : NULL;
  float *eo = ema ? base + v[9] / 4 : NULL;
  /* Constants rounded to float32 as tfjs rounds its scalars. */
  const float factor = (float)p[0], lr = (float)p[1], b1 = (float)p[2], b2 = (float)p[3], eps = (float)p[4];
  const float c1 = (float)(1.0 - p[2]), c2 = (float)(1.0 - p[3]), bc1 = (float)p[5], bc2 = (float)p[6];
  const float d = (float)p[7], cd = (float)(1.0 - p[7]);
  adam_loop(n, w, g, m, s, wo, mo, so, e, eo, factor, lr, b1, b2, eps, c1, c2, bc1, bc2, d, cd);
  return NULL;
}

static napi_value im2col(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 8) return fail(env, "scorelab_blas.im2col3x3: expected 8 arguments");
  void *data;
  size_t bytes;
  if (napi_get_arraybuffer_info(env, argv[0], &data, &bytes) != napi_ok) return fail(env, "scorelab_blas.im2col3x3: buf must be an ArrayBuffer");
  int64_t v[7];
  for (int i = 0; i < 7; i++) {
    if (!get_i64(env, argv[i + 1], &v[i])) return fail(env, "scorelab_blas.im2col3x3: arguments 2-8 must be integers");
  }
  int64_t n = v[2], h = v[3], w = v[4], c = v[5];
  int backward = v[6] != 0;
  if (n < 1 || h < 1 || w < 1 || c < 1) return fail(env, "scorelab_blas.im2col3x3: sizes must be positive");
  int64_t img = n * h * w * c, cols = 9 * img;
  if (!inside(v[0], backward ? cols : img, bytes) || !inside(v[1], backward ? img : cols, bytes)) return fail(env, "scorelab_blas.im2col3x3: an operand lies outside the buffer");
  const float *src = (const float *)data + v[0] / 4;
  float *dst = (float *)data + v[1] / 4;
  size_t rowBytes = (size_t)c * sizeof(float);
  if (backward) memset(dst, 0, (size_t)img * sizeof(float));
  for (int64_t b = 0; b < n; b++) {
    for (int64_t y = 0; y < h; y++) {
      for (int64_t x = 0; x < w; x++) {
        int64_t row = ((b * h + y) * w + x) * 9 * c;
        for (int dy = 0; dy < 3; dy++) {
          int64_t yy = y + dy - 1;
          for (int dx = 0; dx < 3; dx++) {
            int64_t xx = x + dx - 1;
            int64_t col = row + (dy * 3 + dx) * c;
            int in = yy >= 0 && yy < h && xx >= 0 && xx < w;
            int64_t pix = ((b * h + yy) * w + xx) * c;
            if (!backward) {
              if (in) memcpy(dst + col, src + pix, rowBytes);
              else memset(dst + col, 0, rowBytes);
            } else if (in) {
              for (int64_t k = 0; k < c; k++) dst[pix + k] += src[col + k];
            }
          }
        }
      }
    }
  }
  return NULL;
}

VECTOR_CLONES static void silu_forward(const float *x, float *out, int64_t n) {
  for (int64_t i = 0; i < n; i++) out[i] = x[i] / (1.f + expf(-x[i]));
}

VECTOR_CLONES static void silu_backward(const float *x, const float *dy, float *out, int64_t n) {
  for (int64_t i = 0; i < n; i++) {
    /* s (1 + x (1 - s)) stays finite for |x| large: s is exactly 0 or 1 there. */
    float s = 1.f / (1.f + expf(-x[i]));
    out[i] = dy[i] * (s * (1.f + x[i] * (1.f - s)));
  }
}

static napi_value silu(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 5) return fail(env, "scorelab_blas.silu: expected 5 arguments");
  void *data;
  size_t bytes;
  if (napi_get_arraybuffer_info(env, argv[0], &data, &bytes) != napi_ok) return fail(env, "scorelab_blas.silu: buf must be an ArrayBuffer");
  int64_t v[4];
  for (int i = 0; i < 4; i++) {
    if (!get_i64(env, argv[i + 1], &v[i])) return fail(env, "scorelab_blas.silu: arguments 2-5 must be integers");
  }
  int64_t n = v[3];
  if (n < 0 || !inside(v[0], n, bytes) || !inside(v[2], n, bytes) || (v[1] >= 0 && !inside(v[1], n, bytes))) return fail(env, "scorelab_blas.silu: an operand lies outside the buffer");
  const float *x = (const float *)data + v[0] / 4;
  float *out = (float *)data + v[2] / 4;
  if (v[1] < 0) silu_forward(x, out, n);
  else silu_backward(x, (const float *)data + v[1] / 4, out, n);
  return NULL;
}

static napi_value group_norm(napi_env env, napi_callback_info info) {
  size_t argc = 14;
  napi_value argv[14];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 14) return fail(env, "scorelab_blas.groupNorm: expected 14 arguments");
  void *data;
  size_t bytes;
  if (napi_get_arraybuffer_info(env, argv[0], &data, &bytes) != napi_ok) return fail(env, "scorelab_blas.groupNorm: buf must be an ArrayBuffer");
  int64_t v[13];
  double eps = 0;
  for (int i = 0; i < 13; i++) {
    if (i == 8) { if (!get_f64(env, argv[9], &eps)) return fail(env, "scorelab_blas.groupNorm: eps must be a number"); v[8] = 0; continue; }
    if (!get_i64(env, argv[i + 1], &v[i])) return fail(env, "scorelab_blas.groupNorm: offsets and sizes must be integers");
  }
  int64_t n = v[4], hw = v[5], c = v[6], groups = v[7];
  int backward = v[9] >= 0;
  if (n < 1 || hw < 1 || c < 1 || groups < 1 || c % groups != 0 || !(eps > 0)) return fail(env, "scorelab_blas.groupNorm: bad sizes or eps");
  int64_t size = n * hw * c;
  if (!inside(v[0], size, bytes) || !inside(v[1], c, bytes)) return fail(env, "scorelab_blas.groupNorm: an operand lies outside the buffer");
  if (!backward && (!inside(v[2], c, bytes) || !inside(v[3], size, bytes))) return fail(env, "scorelab_blas.groupNorm: an operand lies outside the buffer");
  if (backward && (!inside(v[9], size, bytes) || !inside(v[10], size, bytes) || !inside(v[11], c, bytes) || !inside(v[12], c, bytes))) return fail(env, "scorelab_blas.groupNorm: an operand lies outside the buffer");
  float *base = (float *)data;
  const float *x = base + v[0] / 4, *gamma = base + v[1] / 4;
  int64_t cg = c / groups;
  double count = (double)(hw * cg);
  float *dg = backward ? base + v[11] / 4 : NULL, *db = backward ? base + v[12] / 4 : NULL;
  if (backward) { memset(dg, 0, (size_t)c * sizeof(float)); memset(db, 0, (size_t)c * sizeof(float)); }
  for (int64_t b = 0; b < n; b++) {
    for (int64_t g = 0; g < groups; g++) {
      const float *xb = x + b * hw * c + g * cg;
      double s = 0, ss = 0;
      for (int64_t p = 0; p < hw; p++) for (int64_t k = 0; k < cg; k++) { double t = xb[p * c + k]; s += t; ss += t * t; }
      double mean = s / count, var = ss / count - mean * mean;
      if (var < 0) var = 0;
      float mu = (float)mean, rstd = (float)(1.0 / sqrt(var + eps));
      if (!backward) {
        const float *beta = base + v[2] / 4;
        float *yb = base + v[3] / 4 + b * hw * c + g * cg;
        for (int64_t p = 0; p < hw; p++) for (int64_t k = 0; k < cg; k++) {
          yb[p * c + k] = (xb[p * c + k] - mu) * rstd * gamma[g * cg + k] + beta[g * cg + k];
        }
        continue;
      }
      const float *dyb = base + v[9] / 4 + b * hw * c + g * cg;
      float *dxb = base + v[10] / 4 + b * hw * c + g * cg;
      /* dx = rstd (dxhat - mean(dxhat) - xhat mean(dxhat xhat)), dxhat = dy gamma. */
      double sd = 0, sdx = 0;
      for (int64_t p = 0; p < hw; p++) for (int64_t k = 0; k < cg; k++) {
        float xh = (xb[p * c + k] - mu) * rstd, d = dyb[p * c + k];
        float dxh = d * gamma[g * cg + k];
        sd += dxh; sdx += (double)dxh * xh;
        dg[g * cg + k] += d * xh;
        db[g * cg + k] += d;
      }
      float md = (float)(sd / count), mdx = (float)(sdx / count);
      for (int64_t p = 0; p < hw; p++) for (int64_t k = 0; k < cg; k++) {
        float xh = (xb[p * c + k] - mu) * rstd;
        dxb[p * c + k] = rstd * (dyb[p * c + k] * gamma[g * cg + k] - md - xh * mdx);
      }
    }
  }
  return NULL;
}

static napi_value set_threads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int64_t n;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 1 || !get_i64(env, argv[0], &n) || n < 1 || n > 1024) return fail(env, "scorelab_blas.setThreads: n must be an integer in [1, 1024]");
  openblas_set_num_threads((int)n);
  return NULL;
}

static napi_value get_threads(napi_env env, napi_callback_info info) {
  napi_value out;
  (void)info;
  CHECK(napi_create_int32(env, openblas_get_num_threads(), &out));
  return out;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
    {"gemm", NULL, gemm, NULL, NULL, NULL, napi_enumerable, NULL},
    {"sumBlock", NULL, sum_block, NULL, NULL, NULL, napi_enumerable, NULL},
    {"sumSquares", NULL, sum_squares, NULL, NULL, NULL, napi_enumerable, NULL},
    {"adam", NULL, adam, NULL, NULL, NULL, napi_enumerable, NULL},
    {"im2col3x3", NULL, im2col, NULL, NULL, NULL, napi_enumerable, NULL},
    {"silu", NULL, silu, NULL, NULL, NULL, napi_enumerable, NULL},
    {"groupNorm", NULL, group_norm, NULL, NULL, NULL, napi_enumerable, NULL},
    {"setThreads", NULL, set_threads, NULL, NULL, NULL, napi_enumerable, NULL},
    {"getThreads", NULL, get_threads, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  CHECK(napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
