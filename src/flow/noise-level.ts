/**
 * The SD flow smooths both laws by additive Gaussian noise, p_sigma = p * N(0, sigma^2 I): the marginal of a VE SDE
 * whose standard deviation at time t is t itself. Score functions handed to the flow are called with t = sigma
 * on this SDE, so the exact Gaussian, mixture and empirical scores of src/score/exact serve as proxies unchanged.
 */
import { veSDE, userSchedule } from "../sde";
import type { SDE } from "../sde/types";
import { checkNumber } from "../tensor";

/**
 * VE SDE with x_t = x_0 + t eps (B(t) = t^2, beta(t) = 2t) on [0, T].
 * @example const sde = noiseLevelSDE(5); sde.marginalAt(0.3).std // 0.3
 */
export function noiseLevelSDE(T = 10): SDE {
  checkNumber(T, "T", "noiseLevelSDE", { gt: 0 });
  const schedule = userSchedule({ beta: (t) => 2 * t, integral: (t) => t * t, T, name: "sigma=t" });
  return veSDE({ schedule, T, tMin: Math.min(1e-6, T / 2) });
}
