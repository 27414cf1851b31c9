/** The grading run's tables and figure: grades.csv, a ResultsTable, and the score distribution per question. */
import * as aq from "arquero";
import { ResultsTable } from "../../table/results-table";
import { baseLayout, seriesColor } from "../../plot/style";
import type { Figure } from "../../plot/figure";
import type { GradeRow } from "./types";

/** The columns of grades.csv, in order. */
export const GRADE_COLUMNS = ["student", "grade_id", "points", "max_points", "status", "message", "seconds"] as const;

/**
 * grades.csv's text: one row per student and graded cell.
 * @example fs.writeFileSync("out/grades.csv", gradesCsv(rows))
 */
export function gradesCsv(rows: GradeRow[]): string {
  const cols = Object.fromEntries(GRADE_COLUMNS.map((c) => [c, rows.map((r) => r[c])]));
  return aq.table(cols).toCSV();
}

/**
 * The grades as a ResultsTable (experiment "grade", model = student, dataset = assignment, metric "points", value =
 * points) with the columns of grades.csv beside, so grades sit with every other result of the project.
 * @example gradesTable(rows, "dsm-loss").table.groupby("student").rollup({ total: (d) => aq.op.sum(d.points) })
 */
export function gradesTable(rows: GradeRow[], assignment: string): ResultsTable {
  return new ResultsTable(rows.map((r) => ({ experiment: "grade", model: r.student, dataset: assignment, seed: 0, metric: "points", value: r.points, ...r })));
}

/**
 * A box per question of the students' scores as a percentage of the question's points (every student a dot), and
 * the total beside them.
 * @example scoreDistributionFigure(rows).data.length // questions + 1
 */
export function scoreDistributionFigure(rows: GradeRow[], title = "Score distribution per question"): Figure {
  const ids = [...new Set(rows.map((r) => r.grade_id))];
  const students = [...new Set(rows.map((r) => r.student))];
  const pct = (p: number, m: number) => (m > 0 ? (100 * p) / m : 100);
  const box = (name: string, y: number[], i: number, text: string[]) => ({
    type: "box", name, y, text, boxpoints: "all", jitter: 0.4, pointpos: 0, marker: { color: seriesColor(i) }, hovertemplate: "%{text}: %{y:.0f}%<extra></extra>",
  });
  const data = ids.map((id, i) => {
    const rs = rows.filter((r) => r.grade_id === id);
    return box(id, rs.map((r) => pct(r.points, r.max_points)), i, rs.map((r) => r.student));
  });
  const totals = students.map((s) => {
    const rs = rows.filter((r) => r.student === s);
    return pct(rs.reduce((a, r) => a + r.points, 0), rs.reduce((a, r) => a + r.max_points, 0));
  });
  data.push(box("total", totals, ids.length, students));
  return { data, layout: baseLayout(title, "question (grade_id)", "score (% of the question's points)", { showlegend: false, yaxis: { range: [-5, 105] } }) };
}
