/** How many labels of each class 0..k-1 (the image tests compare them with published counts). */
export function counts(labels: Int32Array, k: number): number[] {
  const c = new Array(k).fill(0);
  for (const l of labels) c[l]++;
  return c;
}
