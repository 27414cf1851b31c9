/**
 * A figure's display bundle with a still image beside the interactive parts, for readers that run no script:
 * GitHub's and nbviewer's notebook views, a notebook opened where scorelab is not installed. The image is rendered
 * by the same headless Chromium export as exportFigure.
 */
import { isFigure, type Figure } from "./figure";
import { createExporter, type ExporterOptions, type FigureExporter } from "./export";
import { toMimeBundle, type MimeBundle, type MimeOptions, type StaticImage } from "./mime";
import { fail } from "../tensor";

export type StaticFormat = "svg" | "png";

export const STATIC_FORMATS: readonly StaticFormat[] = ["svg", "png"];

export interface StaticBundleOptions extends ExporterOptions, Omit<MimeOptions, "image"> {
  /** Image format (default "svg": vector, and usually smaller than a PNG of a scatter plot). */
  format?: StaticFormat;
  /** A running exporter to reuse across many figures; without it one Chromium is started and closed. */
  exporter?: FigureExporter;
}

/**
 * The still image of a figure as a bundle carries it: SVG text or base64 PNG (scale 1, the figure's own size).
 * @example const img = await staticImage(fig, "png"); img.mime // "image/png"
 */
export async function staticImage(fig: Figure, format: StaticFormat = "svg", opts: ExporterOptions & { exporter?: FigureExporter } = {}): Promise<StaticImage> {
  const fn = "staticImage";
  if (!isFigure(fig)) fail(fn, "fig", "must be a figure { data, layout }");
  if (!STATIC_FORMATS.includes(format)) fail(fn, "format", `must be "svg" or "png", got ${JSON.stringify(format)}`);
  const ex = opts.exporter ?? (await createExporter(opts));
  try {
    const bytes = await ex.render(fig, format, { scale: 1 });
    return format === "svg" ? { mime: "image/svg+xml", data: bytes.toString("utf8") } : { mime: "image/png", data: bytes.toString("base64") };
  } finally {
    if (!opts.exporter) await ex.close();
  }
}

/**
 * toMimeBundle(fig) plus image/svg+xml or image/png, the same image also shown in the HTML until plotly.js draws.
 * @example display(await staticFigureBundle(fig, { format: "png" }))
 */
export async function staticFigureBundle(fig: Figure, opts: StaticBundleOptions = {}): Promise<MimeBundle> {
  const fn = "staticFigureBundle";
  if (!isFigure(fig)) fail(fn, "fig", "must be a figure { data, layout }");
  if (opts === null || typeof opts !== "object") fail(fn, "opts", "must be an options object");
  const format = opts.format ?? "svg";
  if (!STATIC_FORMATS.includes(format)) fail(fn, "opts.format", `must be "svg" or "png", got ${JSON.stringify(format)}`);
  const image = await staticImage(fig, format, opts);
  return toMimeBundle(fig, { inlinePlotly: opts.inlinePlotly, plotlyUrl: opts.plotlyUrl, limit: opts.limit, image });
}
