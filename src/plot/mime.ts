/**
 * Notebook display of figures and tables as a Jupyter MIME bundle. Kernel-agnostic: it returns plain strings,
 * and whoever owns the display (our kernel, another one, a script writing .ipynb) decides how to send them.
 */
import * as fs from "node:fs";
import { isFigure, type Figure } from "./figure";
import { fail } from "../tensor";
import { plotlyLoaderJs, plotlyResourcePath } from "./plotly-resource";

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
 * session ships the library (4.6–11 MB) once. Only for HTML read outside a Jupyter server (toMimeBundle's
 * `inlinePlotly`); notebook figures load the kernelspec's copy instead. RequireJS (classic Notebook) is hidden while it loads, because the
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

/** A still image of a figure, shown until plotly.js draws (and instead of it where plotly.js cannot load). */
export interface StaticImage {
  mime: "image/svg+xml" | "image/png";
  /** SVG text, or base64 PNG bytes, as a Jupyter bundle carries them. */
  data: string;
}

export interface FigureHtmlOptions {
  /** Where the page loads plotly.js from (default: the kernelspec copy, see plotly-resource.ts). */
  plotlyUrl?: string;
  /** Shown inside the figure's <div> until Plotly draws over it, e.g. from staticFigureBundle. */
  image?: StaticImage;
}

function imageTag(image: StaticImage): string {
  const b64 = image.mime === "image/png" ? image.data : Buffer.from(image.data, "utf8").toString("base64");
  return `<img alt="figure" style="max-width:100%" src="data:${image.mime};base64,${b64}">`;
}

/**
 * A <div> and a <script> that draws the figure with Plotly.newPlot, loading plotly.js from a local copy (the
 * kernelspec's, unless `opts.plotlyUrl`) once per page; the library itself is never inlined.
 * @example figureHtml(samplesFigure(x))
 */
export function figureHtml(fig: Figure, opts: FigureHtmlOptions = {}): string {
  if (!isFigure(fig)) fail("figureHtml", "fig", "must be a figure { data, layout }");
  if (opts === null || typeof opts !== "object") fail("figureHtml", "opts", "must be an options object");
  if (opts.plotlyUrl !== undefined && (typeof opts.plotlyUrl !== "string" || !opts.plotlyUrl)) fail("figureHtml", "opts.plotlyUrl", "must be a non-empty URL string");
  const id = `scorelab-fig-${process.pid}-${++figureCounter}`;
  const w = typeof fig.layout.width === "number" ? `${fig.layout.width}px` : "100%";
  const h = typeof fig.layout.height === "number" ? `${fig.layout.height}px` : "480px";
  const spec = scriptSafe(JSON.stringify({ data: fig.data, layout: fig.layout }));
  const hint = `plotly.js could not be loaded (${scriptSafe(plotlyResourcePath())} of this Jupyter server): run \`scorelab install\`, then reload.`;
  return (
    `<div id="${id}" class="scorelab-figure" style="width:${w};min-height:${h};">${opts.image ? imageTag(opts.image) : ""}</div>` +
    `<script type="text/javascript">(function () {` +
    `var el = document.getElementById(${JSON.stringify(id)}); var fig = ${spec};` +
    `${plotlyLoaderJs(opts.plotlyUrl ?? null)}.then(function (P) {` +
    `el.innerHTML = ""; el.style.height = ${JSON.stringify(h)};` +
    `return P.newPlot(el, fig.data, fig.layout, { responsive: true, displaylogo: false });` +
    `}, function (e) {` +
    `if (!el.querySelector("img")) el.textContent = ${JSON.stringify(hint)} + " (" + e.message + ")";` +
    `});` +
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
  /**
   * Inline plotly.js itself (plotlyLoaderHtml(), once per session) for HTML read outside a Jupyter server;
   * default false: the page loads the kernelspec's copy, so a saved notebook stays small.
   */
  inlinePlotly?: boolean;
  /** Where the page loads plotly.js from (see FigureHtmlOptions.plotlyUrl). */
  plotlyUrl?: string;
  /** A still image to add to a figure's bundle (its MIME type) and to show until plotly.js draws. */
  image?: StaticImage;
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
    const loader = opts.inlinePlotly === true ? plotlyLoaderHtml() : "";
    return {
      [PLOTLY_MIME]: { data: value.data, layout: value.layout },
      "text/html": loader + figureHtml(value, { plotlyUrl: opts.plotlyUrl, image: opts.image }),
      ...(opts.image ? { [opts.image.mime]: opts.image.data } : {}),
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
