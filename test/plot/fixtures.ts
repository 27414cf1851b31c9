/** One small figure of every builder, shared by the spec tests and the rendering tests. */
import * as p from "../../src/plot";

export function allFigures(): Record<string, p.Figure> {
  const pts = [[0, 0], [1, 0.5], [-1, 1], [0.5, -1]];
  const grid = [-1, 0, 1];
  const z = grid.map((y) => grid.map((x) => Math.exp(-(x * x + y * y))));
  const gridPts = grid.flatMap((y) => grid.map((x) => [x, y]));
  const scores = gridPts.map(([x, y]) => [-x, -y]);
  const samples = p.samplesFigure(pts, { reference: [[0.1, 0.1], [0.9, 0.4]], training: [[0, 0]], title: "samples" });
  const figs: Record<string, p.Figure> = {
    samples,
    imageGrid: p.imageGridFigure([[[0, 1], [1, 0]], [[1, 1], [0, 0]], [[0.5, 0], [0, 0.5]]], { cols: 2 }),
    density: p.densityFigure({ xs: grid, ys: grid, z }, { overlay: { x: [0], y: [0] } }),
    fieldLines: p.vectorFieldFigure(gridPts, scores, { background: { xs: grid, ys: grid, z } }),
    fieldAnnotations: p.vectorFieldFigure(gridPts, scores, { style: "annotations" }),
    training: p.trainingCurveFigure([3, 2, 1.5, 1.2, 1.1, 1.05], { extra: [{ name: "validation", x: [0, 5], y: [3, 1.3] }] }),
    gap: p.generalizationGapFigure([10, 100, 1000], { train: [0.8, 0.9, 1.0], test: [1.6, 1.2, 1.05] }),
    fusion: p.fusionWeightsFigure(["vp", "ve", "subvp"], [0.5, 0.3, 0.2]),
    fusionVsN: p.fusionWeightsFigure(["vp", "ve"], [[0.5, 0.5], [0.8, 0.2]], { n: [10, 1000] }),
    schedule: p.scheduleFigure([0, 0.5, 1], [{ name: "β linear", y: [0.1, 10.05, 20] }]),
    bounds: p.boundsFigure([10, 100, 1000], [{ name: "bound", y: [1, 0.1, 0.01] }, { name: "exact", y: [0.5, 0.05, 0.005], dash: "dash" }]),
    lines: p.lineFigure([0, 1], [{ name: "a", y: [0, 1] }]),
    trajectories: p.trajectoriesFigure([[[0, 0], [1, 1]], [[0.5, 0.2], [1, 0.5]], [[1, 0.3], [0.8, 0]]]),
  };
  figs.grid = p.gridFigure([samples, figs.gap, figs.imageGrid, figs.density], { cols: 2, title: "grid" });
  return figs;
}
