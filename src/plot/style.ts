/**
 * The one house style of scorelab figures: palette, font, margins and axis look. Every builder starts from
 * `baseLayout`, so figures placed side by side in a notebook or a paper match.
 */

/** Colour-blind-safe qualitative palette (Okabe–Ito), in the order series are coloured. */
export const PALETTE: readonly string[] = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"];

/** Named roles, so "reference" or "training" data look the same in every figure. */
export const ROLE_COLORS = {
  samples: PALETTE[0],
  reference: PALETTE[1],
  training: PALETTE[2],
  test: PALETTE[3],
  ema: PALETTE[3],
  field: "#444444",
} as const;

export const FONT = { family: "Helvetica, Arial, sans-serif", size: 13, color: "#222222" } as const;
export const MARGIN = { l: 64, r: 24, t: 56, b: 56 } as const;
export const WIDTH = 640;
export const HEIGHT = 480;

/** Colour of series i (wraps around the palette). */
export function seriesColor(i: number): string {
  return PALETTE[((i % PALETTE.length) + PALETTE.length) % PALETTE.length];
}

/** Axis spec with the house look; `title` should carry the unit, e.g. "step" or "σ (noise scale)". */
export function axis(title: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: { text: title },
    showline: true,
    linecolor: "#888888",
    ticks: "outside",
    gridcolor: "#eeeeee",
    zeroline: false,
    ...extra,
  };
}

/**
 * Layout with title, labelled axes and the house font and margins.
 * @example baseLayout("DSM loss", "step", "loss (nats per dimension)")
 */
export function baseLayout(
  title: string,
  xLabel: string,
  yLabel: string,
  extra: { xaxis?: Record<string, unknown>; yaxis?: Record<string, unknown>; [k: string]: unknown } = {},
): Record<string, unknown> {
  const { xaxis, yaxis, ...rest } = extra;
  return {
    title: { text: title, x: 0.5, xanchor: "center" },
    font: { ...FONT },
    margin: { ...MARGIN },
    width: WIDTH,
    height: HEIGHT,
    paper_bgcolor: "#ffffff",
    plot_bgcolor: "#ffffff",
    colorway: [...PALETTE],
    legend: { bgcolor: "rgba(255,255,255,0.7)" },
    xaxis: axis(xLabel, xaxis),
    yaxis: axis(yLabel, yaxis),
    ...rest,
  };
}
