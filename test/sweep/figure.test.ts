import { test } from "node:test";
import assert from "node:assert/strict";
import { ResultsTable, type ResultRow } from "../../src/table/results-table";
import { meanCI } from "../../src/sweep/interval";
import { sweepFigure } from "../../src/sweep/figure";

const row = (model: string, n: number, seed: number, value: number, metric = "w1", status = "ok"): ResultRow =>
  ({ experiment: "e", model, dataset: "-", seed, n, metric, value, status });
const table = new ResultsTable([
  row("a", 100, 0, 1), row("a", 100, 1, 3), row("a", 10, 0, 5), row("a", 10, 1, 7),
  row("a", 1000, 0, 99, "w1", "failed"), row("a", 100, 2, 50, "w1", "cancelled"),
  row("b", 10, 0, 2), row("a", 10, 0, 123, "other"),
]);
type Tr = { name: string; x: unknown[]; y: number[]; error_y: { array: number[] }; customdata: number[] };

test("sweepFigure: one curve per model, x sorted, the mean of finished trials over seeds with the t half-width", () => {
  const f = sweepFigure(table, { x: "n", metric: "w1", logX: true });
  const [a, b] = f.data as Tr[];
  assert.equal(a.name, "a");
  assert.deepEqual(a.x, [10, 100], "failed and cancelled trials draw nothing");
  assert.deepEqual(a.y, [6, 2]);
  assert.deepEqual(a.error_y.array, [meanCI([5, 7]).halfWidth, meanCI([1, 3]).halfWidth]);
  assert.deepEqual(a.customdata, [2, 2]);
  assert.deepEqual([b.name, b.x, b.y, b.error_y.array], ["b", [10], [2], [0]], "one seed: no bar");
  const layout = f.layout as { title: { text: string } | string; xaxis: { type?: string } };
  assert.equal(layout.xaxis.type, "log");
  assert.match(JSON.stringify(layout.title), /w1: mean and 95% interval over seeds/);
  // Without a metric the first finished row's metric is drawn; the level changes the interval and the title.
  const g = sweepFigure(table, { x: "n", level: 0.5 });
  assert.deepEqual((g.data[0] as Tr).error_y.array[0], meanCI([5, 7], 0.5).halfWidth);
  assert.match(JSON.stringify(g.layout), /50% interval/);
});

test("sweepFigure names the argument it refuses", () => {
  assert.throws(() => sweepFigure(table, {} as never), /sweepFigure: argument 'opts\.x' must name the swept parameter/);
  assert.throws(() => sweepFigure(table, { x: "lr" }), /sweepFigure: argument 'opts\.x' 'lr' is not a column of the table/);
});
