/**
 * Values to Jupyter MIME bundles: Plotly figures (JSON plus an offline HTML fallback), tables as HTML, PNG
 * bytes as images. A minimal local version until src/plot's `toMimeBundle` lands; the kernel, `display()` and
 * `scorelab run` all go through `mimeBundleOf`.
 */
import * as fs from "fs";
import { inspect } from "util";
import { MimeBundle } from "./spec";

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47];
let plotlyShipped = false;

function isFigureLike(v: unknown): v is { data: unknown[]; layout: Record<string, unknown> } {
  if (v === null || typeof v !== "object") return false;
  const o = v as { data?: unknown; layout?: unknown };
  return Array.isArray(o.data) && o.layout !== null && typeof o.layout === "object" && !Array.isArray(o.layout);
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** plotly.js inline the first time in a process, so the HTML works offline; later figures reuse window.Plotly. */
function plotlyScript(): string {
  if (plotlyShipped) return "";
  plotlyShipped = true;
  try {
    const src = fs.readFileSync(require.resolve("plotly.js-dist"), "utf8");
    return `<script type="text/javascript">${src.replace(/<\/script/gi, "<\\/script")}</script>`;
  } catch {
    return "";
  }
}

/** Forget that plotly.js was sent (a new notebook run starts a new page). */
export function resetPlotlyShipping(): void {
  plotlyShipped = false;
}

let figureCount = 0;

/**
 * The bundle of a Plotly figure `{data, layout}`.
 * @example figureBundle({ data: [{ y: [1, 2] }], layout: {} })["application/vnd.plotly.v1+json"]
 */
export function figureBundle(fig: { data: unknown[]; layout: Record<string, unknown> }): MimeBundle {
  const id = `scorelab-fig-${process.pid}-${++figureCount}`;
  const json = JSON.stringify({ data: fig.data, layout: fig.layout }).replace(/</g, "\\u003c");
  const html =
    plotlyScript() +
    `<div id="${id}" style="width:100%;height:420px"></div>` +
    `<script type="text/javascript">(function(){var f=${json};if(window.Plotly){window.Plotly.newPlot("${id}",f.data,f.layout);}` +
    `else{document.getElementById("${id}").textContent="(plotly.js not loaded in this page)";}})();</script>`;
  const title = (fig.layout.title as { text?: string } | string | undefined) ?? "";
  return {
    "application/vnd.plotly.v1+json": { data: fig.data, layout: fig.layout },
    "text/html": html,
    "text/plain": `<Figure ${typeof title === "string" ? title : title.text ?? ""} with ${fig.data.length} trace(s)>`,
  };
}

/** HTML table for an array of plain row objects. */
export function rowsToHtml(rows: Record<string, unknown>[], limit = 50): string {
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown) => escapeHtml(typeof v === "number" ? String(Number(v.toPrecision(6))) : String(v));
  const body = rows.slice(0, limit).map((r) => `<tr>${cols.map((c) => `<td>${cell(r[c])}</td>`).join("")}</tr>`).join("");
  const more = rows.length > limit ? `<tr><td colspan="${cols.length}">… ${rows.length - limit} more rows</td></tr>` : "";
  return `<table><thead><tr>${cols.map((c) => `<th>${escapeHtml(c)}</th>`).join("")}</tr></thead><tbody>${body}${more}</tbody></table>`;
}

/**
 * The rich bundle of a value, or undefined when it has none (plain values print as text).
 * Figures, arquero tables (anything with toHTML()), arrays of row objects, PNG bytes, objects with
 * their own `toMimeBundle()`.
 * @example mimeBundleOf(new Uint8Array([0x89, 0x50, 0x4e, 0x47]))["image/png"]
 */
export function mimeBundleOf(v: unknown): MimeBundle | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === "object" && typeof (v as { toMimeBundle?: unknown }).toMimeBundle === "function") {
    return (v as { toMimeBundle(): MimeBundle }).toMimeBundle();
  }
  if (isFigureLike(v)) return figureBundle(v);
  if (v instanceof Uint8Array && PNG_MAGIC.every((b, i) => v[i] === b)) {
    return { "image/png": Buffer.from(v).toString("base64"), "text/plain": `<PNG image, ${v.length} bytes>` };
  }
  if (typeof v === "object" && typeof (v as { toHTML?: unknown }).toHTML === "function" && typeof (v as { numRows?: unknown }).numRows === "function") {
    const t = v as { toHTML(o?: object): string; numRows(): number; numCols(): number };
    return { "text/html": t.toHTML({ limit: 50 }), "text/plain": `<table ${t.numRows()} rows × ${t.numCols()} columns>` };
  }
  if (Array.isArray(v) && v.length > 0 && v.every((r) => r !== null && typeof r === "object" && !Array.isArray(r) && Object.getPrototypeOf(r) === Object.prototype)) {
    return { "text/html": rowsToHtml(v as Record<string, unknown>[]), "text/plain": inspect(v, { depth: 2 }) };
  }
  return undefined;
}

/** Text of a plain value as the notebook shows it (strings without quotes? no: like Node's REPL). */
export function plainText(v: unknown): string {
  return inspect(v, { depth: 3, colors: false, maxArrayLength: 100 });
}
