/**
 * The feedback notebook a student gets back: the notebook as graded (locked cells restored), with each cell's
 * outputs from the grading run, a note under every graded cell with its points, status and the check's message, and a
 * summary at the top.
 */
import type { NotebookCell, NotebookJson } from "../notebook";
import type { SubmissionRun } from "./run-submission";
import type { GradeRow } from "./types";

const md = (lines: string[]): NotebookCell => ({ cell_type: "markdown", metadata: { scorelab: { feedback: true } }, source: lines.join("\n") });
/** Markdown text without the characters that would turn a message into markup (`_` inside words is not markup). */
const plain = (s: string) => s.replace(/([\\`*[\]<>#|])/g, "\\$1");

function summary(student: string, rows: GradeRow[], notes: string[]): NotebookCell {
  const got = rows.reduce((s, r) => s + r.points, 0), max = rows.reduce((s, r) => s + r.max_points, 0);
  return md([
    `# Feedback for ${plain(student)}: ${got} / ${max} points`, "",
    "| question | points | status |", "| --- | --- | --- |",
    ...rows.map((r) => `| ${plain(r.grade_id)} | ${r.points} / ${r.max_points} | ${r.status} |`),
    ...(notes.length ? ["", ...notes.map((n) => `- ${plain(n)}`)] : []),
  ]);
}

/** Outputs without the offline HTML of Plotly figures: it embeds plotly.js (megabytes) and the figure's JSON stays. */
function slim(outputs: unknown[]): unknown[] {
  return outputs.map((o) => {
    const data = (o as { data?: Record<string, unknown> }).data;
    if (!data || !data["application/vnd.plotly.v1+json"] || !("text/html" in data)) return o;
    const { "text/html": _html, ...rest } = data;
    return { ...(o as object), data: rest };
  });
}

/** The message verbatim, in a fence longer than any run of backticks inside it. */
function fenced(text: string): string[] {
  const fence = "`".repeat(Math.max(3, ...(text.match(/`+/g) ?? []).map((m) => m.length + 1)));
  return [fence + "text", text, fence];
}

const note = (r: GradeRow) => md([`**${plain(r.grade_id)}: ${r.points} / ${r.max_points} points (${r.status})**`, "", ...fenced(r.message)]);

/**
 * The feedback notebook; `nb` is the prepared notebook that ran (undefined for a malformed submission, which gets
 * the summary alone).
 * @example fs.writeFileSync("feedback/alice.ipynb", JSON.stringify(feedbackNotebook("alice", nb, run, rows, notes)))
 */
export function feedbackNotebook(student: string, nb: NotebookJson | undefined, run: SubmissionRun | undefined, rows: GradeRow[], notes: string[]): NotebookJson {
  const byId = new Map(rows.map((r) => [r.grade_id, r]));
  const cells: NotebookCell[] = [summary(student, rows, notes)];
  let count = 0;
  for (const [i, c] of (nb?.cells ?? []).entries()) {
    if (c.cell_type === "code") {
      const r = run?.cells.get(i);
      cells.push({ ...c, outputs: slim(r?.outputs ?? []), execution_count: r ? ++count : null });
    } else cells.push(c);
    const row = byId.get(c.metadata?.nbgrader?.grade_id as string);
    if (row && c.metadata?.nbgrader?.grade) cells.push(note(row));
  }
  const metadata = { ...(nb?.metadata ?? {}), scorelab: { feedback: true, student, ...(run?.banner ? { backend: run.banner } : {}) } };
  return { cells, metadata, nbformat: 4, nbformat_minor: nb?.nbformat_minor ?? 5 };
}
