/** Small multiples: several figures as subplots of one figure, each keeping its own axes and title. */
import type { Figure, Trace } from "./figure";
import { isFigure } from "./figure";
import { readLabel, readOptions } from "./input";
import { checkPositiveInt, fail } from "../tensor";
import { FONT, MARGIN, PALETTE } from "./style";

export interface GridOptions {
  /** Subplots per row (default min(3, number of figures)). */
  cols?: number;
  title?: string;
  /** Size of one cell in pixels (default 360 × 320). */
  cellWidth?: number;
  cellHeight?: number;
}

const AXIS_KEY = /^([xy])axis(\d*)$/;
const REF_KEYS = ["overlaying", "scaleanchor", "matches", "anchor"] as const;

function titleText(layout: Record<string, unknown>): string {
  const t = layout.title;
  if (typeof t === "string") return t;
  if (t && typeof t === "object" && typeof (t as { text?: unknown }).text === "string") return (t as { text: string }).text;
  return "";
}

/**
 * Arranges figures on a grid of subplots. Axes are renumbered (x, x2, …) so each subplot keeps its own
 * ranges, labels, log scales and secondary axes; each sub-title becomes an annotation above its cell.
 * @example gridFigure([samplesFigure(a), samplesFigure(b)], { cols: 2, title: "VP vs VE" })
 */
export function gridFigure(figures: Figure[], opts: GridOptions = {}): Figure {
  const fn = "gridFigure";
  const o = readOptions<GridOptions>(opts, fn);
  if (!Array.isArray(figures) || figures.length === 0) fail(fn, "figures", "must be a non-empty array of figures");
  figures.forEach((f, i) => {
    if (!isFigure(f)) fail(fn, `figures[${i}]`, "must be a figure { data, layout }");
  });
  const cols = o.cols === undefined ? Math.min(3, figures.length) : checkPositiveInt(o.cols, "opts.cols", fn);
  const cellW = o.cellWidth === undefined ? 360 : checkPositiveInt(o.cellWidth, "opts.cellWidth", fn);
  const cellH = o.cellHeight === undefined ? 320 : checkPositiveInt(o.cellHeight, "opts.cellHeight", fn);
  const rows = Math.ceil(figures.length / cols);
  // Gaps in pixels leave room for axis titles and the secondary-axis labels of neighbouring cells.
  const hGap = cols > 1 ? 110 / (cols * cellW) : 0;
  const vGap = rows > 1 ? 120 / (rows * cellH) : 0;
  const cellWFrac = (1 - hGap * (cols - 1)) / cols;
  const cellHFrac = (1 - vGap * (rows - 1)) / rows;

  const data: Trace[] = [];
  const layout: Record<string, unknown> = {};
  const annotations: Record<string, unknown>[] = [];
  const counter = { x: 0, y: 0 };

  figures.forEach((fig, k) => {
    const r = Math.floor(k / cols);
    const c = k % cols;
    const xDom = [c * (cellWFrac + hGap), c * (cellWFrac + hGap) + cellWFrac];
    const yTop = 1 - r * (cellHFrac + vGap);
    const yDom = [yTop - cellHFrac, yTop];
    // Every axis id this figure uses, from its layout and its traces.
    const ids = new Set<string>(["x", "y"]);
    for (const key of Object.keys(fig.layout)) {
      const m = AXIS_KEY.exec(key);
      if (m) ids.add(m[1] + m[2]);
    }
    for (const t of fig.data) {
      if (typeof t.xaxis === "string") ids.add(t.xaxis);
      if (typeof t.yaxis === "string") ids.add(t.yaxis);
    }
    const map = new Map<string, string>();
    for (const id of [...ids].sort()) {
      const letter = id[0] as "x" | "y";
      counter[letter] += 1;
      map.set(id, counter[letter] === 1 ? letter : `${letter}${counter[letter]}`);
    }
    const remap = (v: unknown): unknown => (typeof v === "string" && map.has(v) ? map.get(v) : v);
    for (const id of ids) {
      const src = (fig.layout[`${id[0]}axis${id.slice(1)}`] ?? {}) as Record<string, unknown>;
      const ax: Record<string, unknown> = { ...src };
      for (const rk of REF_KEYS) if (rk in ax) ax[rk] = remap(ax[rk]);
      if (!("overlaying" in src)) {
        ax.domain = id[0] === "x" ? xDom : yDom;
        ax.anchor = map.get(id[0] === "x" ? "y" : "x");
      } else {
        ax.anchor = map.get(id[0] === "x" ? "y" : "x");
        ax.domain = id[0] === "x" ? xDom : yDom;
        if (ax.side === "right") ax.position = xDom[1];
      }
      const nid = map.get(id) as string;
      layout[`${nid[0]}axis${nid.slice(1)}`] = ax;
    }
    for (const t of fig.data) {
      const nt: Trace = { ...t, xaxis: map.get(typeof t.xaxis === "string" ? t.xaxis : "x"), yaxis: map.get(typeof t.yaxis === "string" ? t.yaxis : "y") };
      // Only the first subplot's traces fill the legend; the rest repeat the same roles and colours.
      if (k > 0) nt.showlegend = false;
      if (nt.type === "heatmap" && nt.showscale !== false) {
        nt.colorbar = { ...((nt.colorbar as object) ?? {}), x: xDom[1] + 0.005, xanchor: "left", y: (yDom[0] + yDom[1]) / 2, len: cellHFrac, thickness: 10 };
      }
      data.push(nt);
    }
    const subTitle = titleText(fig.layout);
    if (subTitle) {
      annotations.push({ text: `<b>${subTitle}</b>`, x: (xDom[0] + xDom[1]) / 2, y: yDom[1], xref: "paper", yref: "paper", xanchor: "center", yanchor: "bottom", showarrow: false, font: { size: 13 } });
    }
    const subAnn = fig.layout.annotations;
    if (Array.isArray(subAnn)) {
      for (const a of subAnn as Record<string, unknown>[]) {
        const na = { ...a };
        for (const key of ["xref", "yref", "axref", "ayref"]) if (key in na) na[key] = remap(na[key]);
        annotations.push(na);
      }
    }
    if (k === 0 && typeof fig.layout.barmode === "string") layout.barmode = fig.layout.barmode;
  });

  const title = readLabel(o.title, "", fn, "opts.title");
  return {
    data,
    layout: {
      ...layout,
      ...(title ? { title: { text: title, x: 0.5, xanchor: "center" } } : {}),
      annotations,
      font: { ...FONT },
      margin: { ...MARGIN, t: MARGIN.t + 24, r: MARGIN.r + 40 },
      width: cols * cellW + MARGIN.l + MARGIN.r + 40,
      height: rows * cellH + MARGIN.t + MARGIN.b + 24,
      paper_bgcolor: "#ffffff",
      plot_bgcolor: "#ffffff",
      colorway: [...PALETTE],
      legend: { x: 1.02, y: 1, bgcolor: "rgba(255,255,255,0.7)" },
    },
  };
}
