/** The shared shape of the library's rich reprs: a one-line `Title(key: value, …)` and a two-column HTML table. */
import { MimeBundle } from "./spec";

/** Escapes text for HTML. */
export const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The HTML of a titled key/value table (no bundle), for reprs that add more below it. */
export function summaryHtml(title: string, rows: [string, string][]): string {
  return `<table><caption style="text-align:left"><b>${esc(title)}</b></caption><tbody>${rows.map(([k, v]) => `<tr><th style="text-align:left">${esc(k)}</th><td style="text-align:left">${esc(v)}</td></tr>`).join("")}</tbody></table>`;
}

/** `Title(k: v, …)` as text/plain, and the key/value table as text/html. @example summaryBundle("SDE", [["kind", "vp"]]) */
export function summaryBundle(title: string, rows: [string, string][]): MimeBundle {
  return { "text/plain": `${title}(${rows.map(([k, v]) => `${k}: ${v}`).join(", ")})`, "text/html": summaryHtml(title, rows) };
}
