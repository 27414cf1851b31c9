/**
 * The noise level sigma(t) = s(t) / a(t) of an SDE's marginal x_t = a x_0 + s eps, the frame of Karras et al. 2022
 * (EDM, eq. 4: x_t / a(t) = x_0 + sigma(t) eps). Grids, EDM samplers and EDM training noise are stated in sigma;
 * samplers and scores run in t, so both directions are needed. sigma(t) increases in t for VP, VE and sub-VP
 * (VP: sqrt(e^B - 1), VE: sqrt(B), sub-VP: 2 sinh(B / 2)), which makes the inverse a bisection.
 */
import { checkNumber, fail } from "../tensor";
import type { SDE } from "./types";

/**
 * sigma(t) = s(t) / a(t) in float64.
 * @example sigmaAt(vpSDE(), 1); // sqrt(e^10.05 - 1), about 152
 */
export function sigmaAt(sde: SDE, t: number): number {
  const { scale, std } = sde.marginalAt(t);
  return std / scale;
}

/**
 * The time t in [0, T] with sigma(t) = sigma (float64 bisection to the last bit). Throws for sigma outside
 * [sigma(0), sigma(T)].
 * @example timeAtSigma(vpSDE(), sigmaAt(vpSDE(), 0.3)); // 0.3
 */
export function timeAtSigma(sde: SDE, sigma: number, fn = "timeAtSigma"): number {
  checkNumber(sigma, "sigma", fn, { min: 0 });
  let lo = 0, hi = sde.T;
  const top = sigmaAt(sde, hi);
  if (sigma > top) fail(fn, "sigma", `must be <= sigma(T) = ${top} (the SDE's largest noise level), got ${sigma}`);
  if (sigma === top) return hi;
  if (sigma <= sigmaAt(sde, lo)) return lo;
  // 200 halvings exceed float64's resolution of [0, T]; the loop stops when the midpoint stops moving.
  for (let i = 0; i < 200; i++) {
    const mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    if (sigmaAt(sde, mid) < sigma) lo = mid; else hi = mid;
  }
  return hi;
}

/**
 * Half the log signal-to-noise ratio, lambda(t) = log(a / s) = -log sigma(t) (Lu et al. 2022, DPM-Solver, Sec. 3.1).
 * @example halfLogSnrAt(vpSDE(), 0.5);
 */
export function halfLogSnrAt(sde: SDE, t: number): number {
  return -Math.log(sigmaAt(sde, t));
}
