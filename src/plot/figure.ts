/**
 * The figure value every builder returns: a plain Plotly spec. Keeping it plain JSON (no class, no functions)
 * lets the same object go to the notebook display bundle, to static export and to a file unchanged.
 */

/** One Plotly trace; kept loose because Plotly's trace schema is large and the builders fill it directly. */
export type Trace = Record<string, unknown>;

/** A Plotly figure: traces plus layout, as Plotly.newPlot(div, data, layout) takes them. */
export interface Figure {
  data: Trace[];
  layout: Record<string, unknown>;
}

/**
 * True when `v` looks like a Figure (an object with a `data` array and a `layout` object).
 * @example isFigure({ data: [], layout: {} }) // true
 */
export function isFigure(v: unknown): v is Figure {
  if (v === null || typeof v !== "object") return false;
  const o = v as { data?: unknown; layout?: unknown };
  return Array.isArray(o.data) && o.layout !== null && typeof o.layout === "object" && !Array.isArray(o.layout);
}
