/**
 * Exact laws of the sigma-frame samplers for a Gaussian target (not a test file). For a target N(m, lam) per
 * coordinate and the exact score, the Tweedie denoiser is affine, D(x, t) = (a lam x + s^2 m) / (a^2 lam + s^2),
 * so every sampler here maps the prior sample x_T to P x_T + R plus independent Gaussian noise of variance q. The
 * recursion below tracks (P, R, q) per coordinate in float64, written from the algorithms' statements (Karras et
 * al. 2022, Alg. 2; Lu et al. 2022, Algs. 1-2; Ho et al. 2020, Alg. 2), independently of the samplers' tensor code.
 */
import { halfLogSnrAt, sigmaAt, timeAtSigma, type SDE } from "../../src/sde";

/** An affine function p x_T + r of the prior sample. */
type Aff = { p: number; r: number };
const aff = (p: number, r: number): Aff => ({ p, r });
const lin = (u: Aff, cu: number, v: Aff, cv: number, c = 0): Aff => ({ p: cu * u.p + cv * v.p, r: cu * u.r + cv * v.r + c });

export type SigmaLawKind = "edmHeun" | "eulerAncestral" | "ddpm" | "ddpmPosterior" | "dpm2m" | "dpm2s";

export interface SigmaLawOptions { churn?: number; eta?: number }

/** Output = P x_T + R + N(0, q), per coordinate of a target N(m, lam), over the grid `ts`. */
export function sigmaLaw(kind: SigmaLawKind, sde: SDE, m: number, lam: number, ts: number[], o: SigmaLawOptions = {}): { P: number; R: number; q: number } {
  const at = (t: number) => { const { scale: a, std: s } = sde.marginalAt(t); return { a, s, sig: s / a }; };
  // D(y) for y affine in x_T.
  const den = (y: Aff, t: number): Aff => { const { a, s } = at(t); const v = a * a * lam + s * s; return lin(y, (a * lam) / v, y, 0, (s * s * m) / v); };
  let x = aff(1, 0), q = 0;
  let prev: { d: Aff; h: number } | null = null;
  const N = ts.length - 1;
  for (let i = 0; i < N; i++) {
    const t = ts[i], tn = ts[i + 1], last = i === N - 1;
    const c = at(t), n = at(tn);
    if (kind === "edmHeun") {
      const gamma = Math.min((o.churn ?? 0) / N, Math.SQRT2 - 1);
      const sigHat = Math.min(c.sig * (1 + gamma), sigmaAt(sde, sde.T));
      const tHat = sigHat > c.sig ? timeAtSigma(sde, sigHat) : t;
      const nu = Math.sqrt(sigHat * sigHat - c.sig * c.sig);
      // y = x / a + nu z: the map below is affine in y, so the added noise passes through it with gain P.
      const ah = at(tHat).a;
      const slope = (y: Aff, u: number, sg: number, au: number) => { const d = den(lin(y, au, y, 0), u); return lin(y, 1 / sg, d, -1 / sg); };
      const y0 = aff(1, 0);
      const d1 = slope(y0, tHat, sigHat, ah);
      const e = lin(y0, 1, d1, n.sig - sigHat);
      const d2 = slope(e, tn, n.sig, n.a);
      const out = lin(lin(y0, 1, d1, (n.sig - sigHat) / 2), 1, d2, (n.sig - sigHat) / 2);
      const P = n.a * out.p, R = n.a * out.r;
      x = lin(x, P / c.a, x, 0, R);
      q = (P / c.a) ** 2 * q + (P * nu) ** 2;
    } else if (kind === "eulerAncestral") {
      const eta = o.eta ?? 1;
      const up = Math.min(n.sig, eta * Math.sqrt((n.sig ** 2 * (c.sig ** 2 - n.sig ** 2)) / c.sig ** 2));
      const down = Math.sqrt(n.sig ** 2 - up ** 2);
      // In x_hat = x / a: x_hat' = D + (down / sig)(x_hat - D) + up z, with D = kd x + cd.
      const v = c.a * c.a * lam + c.s * c.s, kd = (c.a * lam) / v, cd = (c.s * c.s * m) / v;
      const k = down / c.sig;
      const g = n.a * (k / c.a + (1 - k) * kd);
      x = lin(x, g, x, 0, n.a * (1 - k) * cd);
      q = g * g * q + (n.a * up) ** 2;
    } else if (kind === "ddpm" || kind === "ddpmPosterior") {
      const alphaBar = (u: number) => at(u).a ** 2;
      const alpha = alphaBar(t) / alphaBar(tn), beta = 1 - alpha;
      const v = c.a * c.a * lam + c.s * c.s;
      // mean = (x + beta score) / sqrt(alpha), score = -(x - a m) / v.
      const g = (1 - beta / v) / Math.sqrt(alpha);
      x = lin(x, g, x, 0, (beta * c.a * m) / v / Math.sqrt(alpha));
      const noise = last ? 0 : kind === "ddpm" ? beta : ((n.s * n.s) / (c.s * c.s)) * beta;
      q = g * g * q + noise;
    } else {
      const h = halfLogSnrAt(sde, tn) - halfLogSnrAt(sde, t);
      const step = (y: Aff, d: Aff, from: number, to: number, hh: number) => lin(y, at(to).s / at(from).s, d, -at(to).a * Math.expm1(-hh));
      if (kind === "dpm2m") {
        const d = den(x, t);
        const dEff = prev ? lin(d, 1 + 1 / (2 * (prev.h / h)), prev.d, -1 / (2 * (prev.h / h))) : d;
        prev = { d, h };
        x = step(x, dEff, t, tn, h);
      } else {
        const tm = timeAtSigma(sde, Math.sqrt(c.sig * n.sig));
        const hm = halfLogSnrAt(sde, tm) - halfLogSnrAt(sde, t);
        const u = step(x, den(x, t), t, tm, hm);
        x = step(x, den(u, tm), t, tn, h);
      }
    }
  }
  return { P: x.p, R: x.r, q };
}

/**
 * The probability-flow ODE's exact map for a Gaussian target: it carries quantiles, so
 * x_t = a_t m + sqrt(v_t / v_T)(x_T - a_T m) with v_t = a_t^2 lam + s_t^2 (what a convergent ODE solver tends to).
 */
export function exactFlowMap(sde: SDE, m: number, lam: number, tEnd: number): { P: number; R: number } {
  const v = (t: number) => { const { scale: a, std: s } = sde.marginalAt(t); return { a, v: a * a * lam + s * s }; };
  const T = v(sde.T), E = v(tEnd);
  const P = Math.sqrt(E.v / T.v);
  return { P, R: E.a * m - P * T.a * m };
}
