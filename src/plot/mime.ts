/**
 * Notebook display of figures and tables as a Jupyter MIME bundle. Kernel-agnostic: it returns plain strings,
 * and whoever owns the display (our kernel, another one, a script writing .ipynb) decides how to send them.
 */
import * as fs from "node:fs";
import { isFigure, type Figure } from "./figure";
import { fail } from "../tensor";

export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** A Jupyter display bundle: MIME type -> content. */
export type MimeBundle = Record<string, unknown>;

/** Anything with an HTML rendering and a size: an arquero table or a ResultsTable. */
export interface HtmlTable {
  toHTML(opts?: { limit?: number }): string;
  numRows(): number;
  numCols(): number;
  columnNames(): string[];
}

let plotlyShipped = false;
let plotlySource: string | undefined;
let figureCounter = 0;

/**
 * Path of the offline plotly.js bundle: the minified build when one is installed (plotly.js-dist-min, ~4.6 MB),
 * else plotly.js-dist's single file (3.x ships only the unminified plotly.js, ~11 MB).
 * @example fs.existsSync(plotlyPath()) // true
 */
export function plotlyPath(): string {
  for (const id of ["plotly.js-dist-min/plotly.min.js", "plotly.js-dist/plotly.min.js", "plotly.js-dist"]) {
    try {
      return require.resolve(id);
    } catch {
      // try the next candidate
    }
  }
  throw new Error("plotlyPath: plotly.js is not installed (expected the npm package plotly.js-dist)");
}

/** The plotly.js source, read once. */
export function plotlyJs(): string {
  if (plotlySource === undefined) plotlySource = fs.readFileSync(plotlyPath(), "utf8");
  return plotlySource;
}

/** Makes text safe inside an inline <script>: no "</script>", no line separators that break JS strings. */
function scriptSafe(text: string): string {
  return text.replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/**
 * The <script> that defines window.Plotly, the first time it is called in this process; '' afterwards, so a
 * session ships the library (4.6–11 MB) once. RequireJS (classic Notebook) is hidden while it loads, because the
 * bundle would otherwise register as an anonymous AMD module and never set window.Plotly.
 * @example display({ "text/html": plotlyLoaderHtml() + figureHtml(fig) })
 */
export function plotlyLoaderHtml(): string {
  if (plotlyShipped) return "";
  const src = plotlyJs().replace(/<\/script/gi, "<\\/script");
  plotlyShipped = true;
  return (
    '<script type="text/javascript">window.__scorelabDefine = window.define; window.define = undefined;</script>' +
    `<script type="text/javascript">${src}</script>` +
    '<script type="text/javascript">window.define = window.__scorelabDefine; delete window.__scorelabDefine;</script>'
  );
}

/**
 * Forgets that plotly.js was shipped (a new notebook session, or a kernel restart in the same process).
 * @example resetPlotlyLoader(); plotlyLoaderHtml().length > 0 // true
 */
export function resetPlotlyLoader(): void {
  plotlyShipped = false;
}

/**
 * A <div> and a <script> that draws the figure with Plotly.newPlot, without the library itself.
 * @example figureHtml(samplesFigure(x))
 */
export function figureHtml(fig: Figure): string {
  if (!isFigure(fig)) fail("figureHtml", "fig", "must be a figure { data, layout }");
  const id = `scorelab-fig-${process.pid}-${++figureCounter}`;
  const w = typeof fig.layout.width === "number" ? `${fig.layout.width}px` : "100%";
  const h = typeof fig.layout.height === "number" ? `${fig.layout.height}px` : "480px";
  const spec = scriptSafe(JSON.stringify({ data: fig.data, layout: fig.layout }));
  return (
    `<div id="${id}" class="scorelab-figure" style="width:${w};height:${h};"></div>` +
    `<script type="text/javascript">(function () {` +
    `var el = document.getElementById(${JSON.stringify(id)}); var fig = ${spec};` +
    `if (!window.Plotly) { el.textContent = "plotly.js is not loaded in this page: display lab.plotlyLoaderHtml() once, then re-run."; return; }` +
    `window.Plotly.newPlot(el, fig.data, fig.layout, { responsive: true, displaylogo: false });` +
    `})();</script>`
  );
}

function isHtmlTable(v: unknown): v is HtmlTable {
  if (v === null || typeof v !== "object") return false;
  const o = v as Record<string, unknown>;
  return typeof o.toHTML === "function" && typeof o.numRows === "function" && typeof o.numCols === "function";
}

function describeFigure(fig: Figure): string {
  const t = fig.layout.title;
  const title = typeof t === "string" ? t : t && typeof t === "object" ? String((t as { text?: unknown }).text ?? "") : "";
  const counts = new Map<string, number>();
  for (const tr of fig.data) counts.set(String(tr.type ?? "scatter"), (counts.get(String(tr.type ?? "scatter")) ?? 0) + 1);
  const kinds = [...counts].map(([k, n]) => (n > 1 ? `${k}×${n}` : k)).join(", ");
  return `Figure${title ? ` "${title}"` : ""}: ${fig.data.length} trace${fig.data.length === 1 ? "" : "s"}${kinds ? ` (${kinds})` : ""}`;
}

export interface MimeOptions {
  /** Prepend plotlyLoaderHtml() to the HTML (default true; it is '' after the first figure of the session). */
  includePlotly?: boolean;
  /** Rows shown in a table's HTML (default 100). */
  limit?: number;
}

/**
 * The Jupyter display bundle of a figure (Plotly JSON, offline HTML, plain text) or of a table (HTML, text).
 * @example const bundle = toMimeBundle(trainingCurveFigure(losses)); // send as display_data
 */
export function toMimeBundle(value: Figure | HtmlTable, opts: MimeOptions = {}): MimeBundle {
  const fn = "toMimeBundle";
  if (opts === null || typeof opts !== "object") fail(fn, "opts", "must be an options object");
  if (isFigure(value)) {
    const loader = opts.includePlotly === false ? "" : plotlyLoaderHtml();
    return {
      [PLOTLY_MIME]: { data: value.data, layout: value.layout },
      "text/html": loader + figureHtml(value),
      "text/plain": describeFigure(value),
    };
  }
  if (isHtmlTable(value)) {
    const limit = opts.limit ?? 100;
    const n = value.numRows();
    const more = n > limit ? `<p><i>${limit} of ${n} rows shown</i></p>` : "";
    const names = typeof value.columnNames === "function" ? value.columnNames() : [];
    return {
      "text/html": value.toHTML({ limit }) + more,
      "text/plain": `Table: ${n} row${n === 1 ? "" : "s"} × ${value.numCols()} column${value.numCols() === 1 ? "" : "s"}${names.length ? ` (${names.join(", ")})` : ""}`,
    };
  }
  fail(fn, "value", "must be a figure { data, layout } or a table (arquero table or ResultsTable)");
}
