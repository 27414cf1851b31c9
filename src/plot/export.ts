/**
 * Static export of figures to SVG, PNG and PDF. plotly.js renders in headless Chromium (Debian `chromium`)
 * driven by playwright-core; one browser serves a whole batch because starting it costs about a second.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Browser, Page } from "playwright-core";
import { isFigure, type Figure } from "./figure";
import { plotlyJs } from "./mime";
import { fail, checkNumber } from "../tensor";
import { HEIGHT, WIDTH } from "./style";

/** Flags that keep Chromium off the network: there is none here, and its own connections fail noisily. */
export const CHROMIUM_FLAGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export type ExportFormat = "svg" | "png" | "pdf";

export interface ExporterOptions {
  /** Chromium binary (default: env SCORELAB_CHROMIUM, else /usr/bin/chromium). */
  executablePath?: string;
}

export interface ExportOptions {
  /** Pixel-density factor of PNG output (default 2, sharp on paper and on high-DPI screens). */
  scale?: number;
}

/** A running Chromium page with plotly.js loaded; export many figures, then close(). */
export interface FigureExporter {
  /** Writes `fig` to `file`; the format is the file's extension (.svg, .png, .pdf). */
  export(fig: Figure, file: string, opts?: ExportOptions): Promise<void>;
  /** Renders `fig` to the bytes of one format without writing a file. */
  render(fig: Figure, format: ExportFormat, opts?: ExportOptions): Promise<Buffer>;
  /** Console errors and uncaught page errors seen so far (a figure spec that Plotly rejects shows up here). */
  consoleErrors(): string[];
  close(): Promise<void>;
}

/** The Chromium binary that export would use. */
export function chromiumPath(opts: ExporterOptions = {}): string {
  return opts.executablePath ?? process.env.SCORELAB_CHROMIUM ?? "/usr/bin/chromium";
}

/**
 * The format for a file name, or a clear error naming the function.
 * @example exportFormat("fig.svg", "exportFigure") // "svg"
 */
export function exportFormat(file: unknown, fn: string, arg = "path"): ExportFormat {
  if (typeof file !== "string" || file.length === 0) fail(fn, arg, "must be a non-empty file path string");
  const ext = path.extname(file as string).toLowerCase().slice(1);
  if (ext !== "svg" && ext !== "png" && ext !== "pdf") {
    fail(fn, arg, `must end in .svg, .png or .pdf, got ${ext ? `'.${ext}'` : "no extension"} in '${file as string}'`);
  }
  return ext as ExportFormat;
}

function figureSize(fig: Figure): { width: number; height: number } {
  const w = fig.layout.width;
  const h = fig.layout.height;
  return { width: typeof w === "number" && w > 0 ? w : WIDTH, height: typeof h === "number" && h > 0 ? h : HEIGHT };
}

async function launch(opts: ExporterOptions, fn: string): Promise<Browser> {
  const exe = chromiumPath(opts);
  if (!fs.existsSync(exe)) {
    throw new Error(`${fn}: Chromium not found at '${exe}'. Install it with \`apt-get install chromium\`, or set SCORELAB_CHROMIUM to a Chromium binary.`);
  }
  // Required lazily so that loading the library does not load playwright.
  const { chromium } = require("playwright-core") as typeof import("playwright-core");
  try {
    return await chromium.launch({ executablePath: exe, headless: true, args: [...CHROMIUM_FLAGS] });
  } catch (e) {
    throw new Error(`${fn}: could not start Chromium at '${exe}' (${(e as Error).message.split("\n")[0]}). Install it with \`apt-get install chromium\`, or set SCORELAB_CHROMIUM.`);
  }
}

/**
 * Starts headless Chromium with plotly.js loaded, for exporting many figures with one browser.
 * @example
 * const ex = await createExporter();
 * try { await ex.export(fig1, "out/a.svg"); await ex.export(fig2, "out/b.png"); } finally { await ex.close(); }
 */
export async function createExporter(opts: ExporterOptions = {}): Promise<FigureExporter> {
  const fn = "createExporter";
  const browser = await launch(opts, fn);
  const errors: string[] = [];
  let page: Page;
  let pdfPage: Page | undefined;
  try {
    page = await browser.newPage();
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body style="margin:0"></body></html>');
    await page.addScriptTag({ content: plotlyJs() });
  } catch (e) {
    await browser.close();
    throw new Error(`${fn}: could not load plotly.js in Chromium: ${(e as Error).message}`);
  }

  async function render(fig: Figure, format: ExportFormat, o: ExportOptions = {}, fnName = "render"): Promise<Buffer> {
    if (!isFigure(fig)) fail(fnName, "fig", "must be a figure { data, layout }");
    if (format !== "svg" && format !== "png" && format !== "pdf") fail(fnName, "format", `must be "svg", "png" or "pdf", got ${String(format)}`);
    const scale = o.scale === undefined ? 2 : checkNumber(o.scale, "opts.scale", fnName, { gt: 0, max: 10 });
    const { width, height } = figureSize(fig);
    const imageFormat = format === "png" ? "png" : "svg";
    let url: string;
    try {
      url = await page.evaluate(
        async ({ spec, width, height, imageFormat, scale }) => {
          const P = (window as unknown as { Plotly: any }).Plotly;
          const div = document.createElement("div");
          document.body.appendChild(div);
          try {
            await P.newPlot(div, spec.data, spec.layout, { staticPlot: true });
            return (await P.toImage(div, { format: imageFormat, width, height, scale: imageFormat === "png" ? scale : 1 })) as string;
          } finally {
            P.purge(div);
            div.remove();
          }
        },
        { spec: { data: fig.data, layout: fig.layout }, width, height, imageFormat, scale },
      );
    } catch (e) {
      throw new Error(`${fnName}: plotly.js could not render the figure: ${(e as Error).message.split("\n")[0]}`);
    }
    const comma = url.indexOf(",");
    const head = url.slice(0, comma);
    const body = url.slice(comma + 1);
    const bytes = head.endsWith(";base64") ? Buffer.from(body, "base64") : Buffer.from(decodeURIComponent(body), "utf8");
    if (format !== "pdf") return bytes;
    // PDF: print the vector SVG on a page the size of the figure, so the PDF stays vector and uncropped.
    if (!pdfPage) pdfPage = await browser.newPage();
    const svg = bytes.toString("utf8");
    await pdfPage.setContent(`<!doctype html><html><head><style>@page{margin:0}html,body{margin:0}svg{display:block}</style></head><body>${svg}</body></html>`);
    return await pdfPage.pdf({ width: `${width}px`, height: `${height}px`, printBackground: true, pageRanges: "1" });
  }

  return {
    render: (fig, format, o) => render(fig, format, o, "render"),
    async export(fig, file, o) {
      const format = exportFormat(file, "exportFigure");
      const bytes = await render(fig, format, o, "exportFigure");
      try {
        await fs.promises.mkdir(path.dirname(path.resolve(file)), { recursive: true });
        await fs.promises.writeFile(file, bytes);
      } catch (e) {
        throw new Error(`exportFigure: could not write '${file}': ${(e as Error).message}`);
      }
    },
    consoleErrors: () => [...errors],
    close: () => browser.close(),
  };
}

/**
 * Exports many figures with one browser; the format of each is its file's extension.
 * @example await exportFigures([{ fig: a, path: "a.svg" }, { fig: b, path: "b.pdf" }])
 */
export async function exportFigures(items: { fig: Figure; path: string }[], opts: ExporterOptions & ExportOptions = {}): Promise<void> {
  const fn = "exportFigures";
  if (!Array.isArray(items)) fail(fn, "items", "must be an array of { fig, path }");
  // Check everything before starting Chromium, so a typo fails in milliseconds, not after a launch.
  items.forEach((it, i) => {
    if (it === null || typeof it !== "object") fail(fn, `items[${i}]`, "must be an object { fig, path }");
    if (!isFigure(it.fig)) fail(fn, `items[${i}].fig`, "must be a figure { data, layout }");
    exportFormat(it.path, fn, `items[${i}].path`);
  });
  if (items.length === 0) return;
  const ex = await createExporter(opts);
  try {
    for (const it of items) await ex.export(it.fig, it.path, opts);
  } finally {
    await ex.close();
  }
}

/**
 * Exports one figure (.svg, .png or .pdf by extension). Starts and stops Chromium: for many figures use
 * exportFigures or createExporter.
 * @example await exportFigure(samplesFigure(x), "figures/samples.pdf")
 */
export async function exportFigure(fig: Figure, file: string, opts: ExporterOptions & ExportOptions = {}): Promise<void> {
  const fn = "exportFigure";
  if (!isFigure(fig)) fail(fn, "fig", "must be a figure { data, layout }");
  exportFormat(file, fn);
  const ex = await createExporter(opts);
  try {
    await ex.export(fig, file, opts);
  } finally {
    await ex.close();
  }
}
