/** The sample median, one definition for every study and metric that reports one. */

/**
 * The median of `values`: the middle value of an odd count, the mean of the two middle values of an even one;
 * NaN for none. NaN entries sort last (as Float64Array's sort puts them), so they shift the median up.
 * @example median([3, 1, 2, 10]) // 2.5
 */
export function median(values: ArrayLike<number>): number {
  const m = values.length;
  if (m === 0) return NaN;
  const s = Float64Array.from(values).sort();
  return m % 2 ? s[(m - 1) / 2] : (s[m / 2 - 1] + s[m / 2]) / 2;
}
