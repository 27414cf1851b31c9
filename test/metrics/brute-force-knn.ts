/** The k nearest reference rows of each query row by sorting every distance: the reference the k-NN tests compare with. */
export function bruteForce(q: number[][], r: number[][], k: number): { index: number[]; distance: number[] }[] {
  return q.map((row) => {
    const ds = r.map((s, j) => ({ j, d: Math.sqrt(s.reduce((acc, v, c) => acc + (v - row[c]) ** 2, 0)) }));
    ds.sort((a, b) => a.d - b.d || a.j - b.j);
    return { index: ds.slice(0, k).map((e) => e.j), distance: ds.slice(0, k).map((e) => e.d) };
  });
}
