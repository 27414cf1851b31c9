/**
 * Rich reprs of data sets (loadDataset, %dataset) and study results ({ table, figures, summary } from samplerStudy,
 * scheduleStudy, flowStudy, the fusion and refinement studies): what they hold in a line and a table, not the
 * tensor's and the figures' raw JSON.
 */
import * as tf from "@tensorflow/tfjs";
import type { Dataset } from "../data";
import { isFigure, type Figure, type HtmlTable } from "../plot";
import { MimeBundle } from "./spec";
import { esc, summaryBundle, summaryHtml } from "./repr-html";

const TABLE_ROWS = 20;

function isDataset(v: unknown): v is Dataset {
  const o = v as Partial<Dataset>;
  return !!o && typeof o === "object" && typeof o.name === "string" && o.x instanceof tf.Tensor && Array.isArray(o.shape)
    && typeof o.describe === "function" && typeof o.dispose === "function";
}

function isTable(v: unknown): v is HtmlTable {
  const o = v as Partial<HtmlTable>;
  return !!o && typeof o === "object" && typeof o.toHTML === "function" && typeof o.numRows === "function" && typeof o.columnNames === "function";
}

/** The figures of a study result, as a list (results hold an array, a record, or one `figure`). */
function figuresOf(v: { figures?: unknown; figure?: unknown }): [string, Figure][] {
  const f = v.figures;
  const named: [string, unknown][] = Array.isArray(f) ? f.map((x, i) => [`figures[${i}]`, x]) : f && typeof f === "object" ? Object.entries(f).map(([k, x]) => [`figures.${k}`, x]) : [];
  if (named.length === 0 && v.figure !== undefined) named.push(["figure", v.figure]);
  return named.filter((e): e is [string, Figure] => isFigure(e[1]));
}

function isStudyResult(v: unknown): v is { table: HtmlTable; summary: string; figures?: unknown; figure?: unknown; seconds?: number } {
  const o = v as { table?: unknown; summary?: unknown };
  return !!o && typeof o === "object" && isTable(o.table) && typeof o.summary === "string";
}

function figureTitle(f: Figure): string {
  const t = f.layout.title;
  return typeof t === "string" ? t : t && typeof t === "object" ? String((t as { text?: unknown }).text ?? "") : "";
}

function datasetBundle(d: Dataset): MimeBundle {
  const rows: [string, string][] = [
    ["name", d.name],
    ["items", String(d.x.isDisposed ? "disposed" : d.x.shape[0])],
    ["item shape", `[${d.shape.join(", ")}]`],
  ];
  if (d.labels) rows.push(["labels", `${new Set(d.labels).size} classes${d.classNames ? ` (${d.classNames.join(", ")})` : ""}`]);
  if (d.gmm) rows.push(["exact law", `${d.gmm.k}-component Gaussian mixture`]);
  return summaryBundle("Dataset", rows);
}

function studyBundle(r: { table: HtmlTable; summary: string; figures?: unknown; figure?: unknown; seconds?: number }): MimeBundle {
  const figs = figuresOf(r);
  const n = r.table.numRows();
  const cols = r.table.columnNames();
  const rows: [string, string][] = [
    ["table", `${n} row${n === 1 ? "" : "s"} × ${cols.length} columns (${cols.join(", ")})`],
    ["figures", figs.length ? figs.map(([k, f]) => (figureTitle(f) ? `${k} "${figureTitle(f)}"` : k)).join("; ") : "none"],
  ];
  if (typeof r.seconds === "number") rows.push(["seconds", r.seconds.toFixed(1)]);
  const summary = r.summary.trim();
  const more = n > TABLE_ROWS ? `<p><i>${TABLE_ROWS} of ${n} rows shown</i></p>` : "";
  return {
    "text/plain": `StudyResult(${rows.map(([k, v]) => `${k}: ${v}`).join(", ")})${summary ? `\n${summary}` : ""}`,
    "text/html": summaryHtml("Study result", rows) +
      (summary ? `<pre style="white-space:pre-wrap">${esc(summary)}</pre>` : "") +
      r.table.toHTML({ limit: TABLE_ROWS }) + more +
      (figs.length ? `<p><i>Show a figure with <code>display(result.${esc(figs[0][0])})</code>.</i></p>` : ""),
  };
}

/** The bundle of a data set or a study result; undefined for anything else. */
export function resultBundle(v: unknown): MimeBundle | undefined {
  if (isDataset(v)) return datasetBundle(v);
  if (isStudyResult(v)) return studyBundle(v);
  return undefined;
}
