import { test, before, after } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { initBackend } from "../../src/tensor";
import * as p from "../../src/plot";
import type { MimeBundle } from "../../src/magics";
import { display, magic$ } from "../../kernel/cell-runtime";
import { setMagicHost } from "../../kernel/magic-session";
import { installKernelspec } from "../../kernel/install";
import { allFigures } from "../plot/fixtures";

// A loopback stand-in for a Jupyter server's kernelspec resource handler: it serves the files that
// `scorelab install` wrote at <base>kernelspecs/<name>/<file>, for any base URL, and counts requests.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-nbhtml-"));
let server: http.Server;
let origin = "";
let pages = new Map<string, string>();
const hits: string[] = [];
let browser: Browser;
let exporter: p.FigureExporter;
let specDir = "";

before(async () => {
  await initBackend();
  specDir = installKernelspec({ prefix: tmp });
  server = http.createServer((req, res) => {
    const url = req.url ?? "/";
    const m = /kernelspecs\/([\w.-]+)\/([\w.-]+)$/.exec(url);
    if (m && !url.startsWith("/missing/")) {
      const file = path.join(path.dirname(specDir), m[1], m[2]);
      if (fs.existsSync(file)) {
        hits.push(url);
        res.writeHead(200, { "content-type": "application/javascript" });
        fs.createReadStream(file).pipe(res);
        return;
      }
    }
    const page = pages.get(url);
    res.writeHead(page === undefined ? 404 : 200, { "content-type": "text/html" });
    res.end(page ?? "not found");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { chromium } = require("playwright-core") as typeof import("playwright-core");
  browser = await chromium.launch({ executablePath: p.chromiumPath(), args: [...p.CHROMIUM_FLAGS] });
  exporter = await p.createExporter();
});
after(async () => {
  await browser?.close();
  await exporter?.close();
  await new Promise((r) => server?.close(r));
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Opens `html` at `url` on the loopback server; returns the page and its console errors. */
async function open(url: string, html: string) {
  pages.set(url, html);
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(origin + url);
  return { page, errors };
}

const drawnCount = (page: import("playwright-core").Page) =>
  page.waitForFunction((n) => document.querySelectorAll(".scorelab-figure.js-plotly-plot .main-svg").length >= n, 2, { timeout: 15_000 })
    .then(() => page.evaluate(() => document.querySelectorAll(".scorelab-figure.js-plotly-plot").length));

test("install copies plotly.js into the kernelspec, byte for byte", () => {
  const copy = path.join(specDir, p.PLOTLY_RESOURCE);
  assert.equal(fs.statSync(copy).size, fs.statSync(p.plotlyPath()).size);
  assert.ok(fs.readFileSync(copy).subarray(0, 200).equals(fs.readFileSync(p.plotlyPath()).subarray(0, 200)));
});

test("classic Notebook page: figures load the kernelspec's plotly.js once, and draw again after a reload", async () => {
  const figs = allFigures();
  const outputs = (p.toMimeBundle(figs.samples)["text/html"] as string) + (p.toMimeBundle(figs.gap)["text/html"] as string);
  // Classic Notebook: base URL in <body data-base-url>, and a RequireJS-style global define.
  const html = `<!doctype html><html><head><script>window.define = function () {}; window.define.amd = {};</script></head>` +
    `<body data-base-url="/nb/">${outputs}</body></html>`;
  hits.length = 0;
  const { page, errors } = await open("/nb/notebooks/tour.ipynb", html);
  try {
    assert.equal(await drawnCount(page), 2);
    assert.deepEqual(hits, ["/nb/kernelspecs/scorelab/plotly.js"], "one request for both figures");
    await page.reload();
    assert.equal(await drawnCount(page), 2, "drawn after a reload");
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test("JupyterLab page: the base URL comes from #jupyter-config-data", async () => {
  const figs = allFigures();
  const outputs = (p.toMimeBundle(figs.samples)["text/html"] as string) + (p.toMimeBundle(figs.lines)["text/html"] as string);
  const html = `<!doctype html><html><head><script id="jupyter-config-data" type="application/json">{"baseUrl": "/user/ada/"}</script></head><body>${outputs}</body></html>`;
  hits.length = 0;
  const { page, errors } = await open("/user/ada/lab/tree/tour.ipynb", html);
  try {
    assert.equal(await drawnCount(page), 2);
    assert.deepEqual(hits, ["/user/ada/kernelspecs/scorelab/plotly.js"]);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test("static bundles: image/svg+xml or image/png beside the Plotly JSON, shown where plotly.js cannot load", async () => {
  const fig = allFigures().samples;
  const svg = await p.staticFigureBundle(fig, { exporter, format: "svg" });
  assert.match(svg["image/svg+xml"] as string, /^<svg[\s\S]*<\/svg>$/);
  assert.deepEqual(svg[p.PLOTLY_MIME], { data: fig.data, layout: fig.layout });
  const png = await p.staticFigureBundle(fig, { exporter, format: "png" });
  const bytes = Buffer.from(png["image/png"] as string, "base64");
  assert.deepEqual([...bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  // Scale 1: the PNG has the figure's own pixel size.
  assert.deepEqual([bytes.readUInt32BE(16), bytes.readUInt32BE(20)], [p.WIDTH, p.HEIGHT]);
  assert.ok(!("image/png" in svg) && !("image/svg+xml" in png));
  // No plotly.js at this base URL (a server without `scorelab install`): the still image stays, with no error.
  const { page, errors } = await open("/missing/notebooks/a.ipynb", `<body data-base-url="/missing/">${png["text/html"] as string}${p.toMimeBundle(fig)["text/html"] as string}</body>`);
  try {
    await page.waitForFunction(() => (document.querySelectorAll(".scorelab-figure")[1]?.textContent ?? "").includes("scorelab install"), null, { timeout: 10_000 });
    const imgs = await page.evaluate(() => Array.from(document.querySelectorAll(".scorelab-figure img")).map((i) => (i as HTMLImageElement).naturalWidth));
    assert.deepEqual(imgs, [p.WIDTH], "the PNG fallback decoded at the figure's width");
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
  await assert.rejects(p.staticFigureBundle(fig, { exporter, format: "jpg" as "png" }), /staticFigureBundle: argument 'opts.format' must be "svg" or "png", got "jpg"/);
  await assert.rejects(p.staticFigureBundle({} as p.Figure), /staticFigureBundle: argument 'fig' must be a figure/);
});

test("%plot --static and display(fig, { static }) add the image; bad options fail before any output", async () => {
  const shown: MimeBundle[] = [];
  const x = [[0, 1], [1, 0], [0.5, 0.5]];
  setMagicHost({ print() {}, display: (b) => { shown.push(b); }, locals: { x } });
  try {
    await magic$("plot", ["x"]);
    await magic$("plot", ["x", "--static", "--format", "png"]);
    await display(allFigures().gap, { static: true });
    assert.deepEqual(shown.map((b) => Object.keys(b).filter((k) => k.startsWith("image/"))), [[], ["image/png"], ["image/svg+xml"]]);
    assert.throws(() => display(allFigures().gap, { static: "gif" as "png" }), /display\(\): argument 'opts.static' must be true, false, "svg" or "png", got "gif"/);
    assert.throws(() => display("text", { static: true }), /display\(\): argument 'opts.static' needs a figure/);
    await assert.rejects(magic$("plot", ["x", "--static", "--format", "gif"]), /--format/);
    assert.equal(shown.length, 3);
  } finally {
    setMagicHost({ print: (t) => process.stdout.write(t + "\n"), display: () => {}, locals: {} });
  }
});
