/**
 * Values to Jupyter MIME bundles for the kernel, `display()` and `scorelab run`: figures and tables go through
 * src/plot's `toMimeBundle` (Plotly JSON + HTML that loads the kernelspec's plotly.js; table HTML), PNG bytes
 * become images, arrays of row objects become HTML tables. Only `inlinePlotly` bundles ship plotly.js itself, once
 * per session through src/plot's stateful loader; a session (a kernel executor, hence also each `scorelab run`)
 * starts with `resetPlotlyShipping()`.
 */
import { inspect } from "util";
import { isFigure, resetPlotlyLoader, toMimeBundle, type Figure, type HtmlTable } from "../plot";
import { MimeBundle } from "./spec";
import { libraryBundle } from "./reprs";

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47];

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function isHtmlTable(v: unknown): v is HtmlTable {
  if (v === null || typeof v !== "object") return false;
  const o = v as Record<string, unknown>;
  return typeof o.toHTML === "function" && typeof o.numRows === "function" && typeof o.numCols === "function";
}

/**
 * Forgets that plotly.js was sent, so the next figure carries it again: a new session starts a new page.
 * The one reset of src/plot's loader state; createKernelExecutor calls it.
 * @example resetPlotlyShipping(); toMimeBundle(fig, { inlinePlotly: true })["text/html"].length > 1e6 // true
 */
export function resetPlotlyShipping(): void {
  resetPlotlyLoader();
}

/**
 * The bundle of a Plotly figure `{data, layout}`; its HTML loads plotly.js from the kernelspec's copy.
 * @example figureBundle({ data: [{ y: [1, 2] }], layout: {} })["application/vnd.plotly.v1+json"]
 */
export function figureBundle(fig: Figure): MimeBundle {
  return toMimeBundle(fig);
}

/** HTML table for an array of plain row objects. @example rowsToHtml([{ a: 1 }]) */
export function rowsToHtml(rows: Record<string, unknown>[], limit = 50): string {
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown) => escapeHtml(typeof v === "number" ? String(Number(v.toPrecision(6))) : String(v));
  const body = rows.slice(0, limit).map((r) => `<tr>${cols.map((c) => `<td>${cell(r[c])}</td>`).join("")}</tr>`).join("");
  const more = rows.length > limit ? `<tr><td colspan="${cols.length}">… ${rows.length - limit} more rows</td></tr>` : "";
  return `<table><thead><tr>${cols.map((c) => `<th>${escapeHtml(c)}</th>`).join("")}</tr></thead><tbody>${body}${more}</tbody></table>`;
}

/**
 * The rich bundle of a value, or undefined when it has none (plain values print as text).
 * Objects with their own `toMimeBundle()`, figures, tables (arquero or ResultsTable), PNG bytes, arrays of rows.
 * @example mimeBundleOf(new Uint8Array([0x89, 0x50, 0x4e, 0x47]))["image/png"]
 */
export function mimeBundleOf(v: unknown): MimeBundle | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === "object" && typeof (v as { toMimeBundle?: unknown }).toMimeBundle === "function") {
    return (v as { toMimeBundle(): MimeBundle }).toMimeBundle();
  }
  if (isFigure(v) || isHtmlTable(v)) return toMimeBundle(v);
  const own = libraryBundle(v);
  if (own) return own;
  if (v instanceof Uint8Array && PNG_MAGIC.every((b, i) => v[i] === b)) {
    return { "image/png": Buffer.from(v).toString("base64"), "text/plain": `<PNG image, ${v.length} bytes>` };
  }
  if (Array.isArray(v) && v.length > 0 && v.every((r) => r !== null && typeof r === "object" && !Array.isArray(r) && Object.getPrototypeOf(r) === Object.prototype)) {
    return { "text/html": rowsToHtml(v as Record<string, unknown>[]), "text/plain": inspect(v, { depth: 2 }) };
  }
  return undefined;
}

/** Text of a plain value as the notebook shows it (like Node's REPL). @example plainText({ a: 1 }) // "{ a: 1 }" */
export function plainText(v: unknown): string {
  return inspect(v, { depth: 3, colors: false, maxArrayLength: 100 });
}
