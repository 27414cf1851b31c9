import { test, before, after } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { initBackend } from "../../src/tensor";
import * as p from "../../src/plot";
import { allFigures } from "./fixtures";
import { distinctColors, parseSvg } from "./png";

// One Chromium for every rendering test: starting it and loading plotly.js takes seconds.
let ex: p.FigureExporter;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-plot-"));

before(async () => {
  await initBackend();
  ex = await p.createExporter();
});
after(async () => {
  await ex?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test("every builder renders in Chromium: no console error, PNG not blank, SVG well-formed", async () => {
  const blank = await ex.render({ data: [], layout: { width: 200, height: 150, xaxis: { visible: false }, yaxis: { visible: false } } }, "png", { scale: 1 });
  assert.equal(distinctColors(blank), 1, "the decoder sees an empty figure as one colour");
  for (const [name, fig] of Object.entries(allFigures())) {
    const png = await ex.render(fig, "png", { scale: 1 });
    // Drawn marks, text and anti-aliasing give many colours; a blank page gives 1.
    assert.ok(distinctColors(png) > 20, `${name}: PNG has drawn content`);
    const svg = parseSvg((await ex.render(fig, "svg")).toString("utf8"));
    assert.equal(svg.root, "svg", name);
    assert.ok(svg.paths > 0 && svg.groups > 0, `${name}: SVG has <path> and <g> elements`);
  }
  assert.deepEqual(ex.consoleErrors(), []);
});

test("exporter writes svg, png and pdf by extension; PNG scale doubles the pixels", async () => {
  const fig = allFigures().samples;
  for (const ext of ["svg", "png", "pdf"]) await ex.export(fig, path.join(dir, `sub/s.${ext}`), { scale: 1 });
  assert.match(fs.readFileSync(path.join(dir, "sub/s.svg"), "utf8"), /^<svg/);
  const png = fs.readFileSync(path.join(dir, "sub/s.png"));
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [p.WIDTH, p.HEIGHT]);
  const pdf = fs.readFileSync(path.join(dir, "sub/s.pdf"));
  assert.equal(pdf.subarray(0, 5).toString(), "%PDF-");
  assert.equal(pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g)?.length, 1, "one page");
  const png2 = await ex.render(fig, "png", { scale: 2 });
  assert.equal(png2.readUInt32BE(16), 2 * p.WIDTH);
});

test("exportFigures and exportFigure launch their own browser and write every file", async () => {
  const figs = allFigures();
  await p.exportFigures([{ fig: figs.fusion, path: path.join(dir, "f.svg") }, { fig: figs.bounds, path: path.join(dir, "b.png") }]);
  await p.exportFigure(figs.schedule, path.join(dir, "s.pdf"));
  for (const f of ["f.svg", "b.png", "s.pdf"]) assert.ok(fs.statSync(path.join(dir, f)).size > 1000, f);
});

test("export errors: unknown extension, bad figure, missing Chromium", async () => {
  const fig = allFigures().lines;
  await assert.rejects(p.exportFigure(fig, path.join(dir, "x.jpg")), /exportFigure: argument 'path' must end in \.svg, \.png or \.pdf, got '\.jpg'/);
  await assert.rejects(p.exportFigures([{ fig, path: "ok.svg" }, { fig, path: "noext" }]), /exportFigures: argument 'items\[1\]\.path' .* got no extension/);
  await assert.rejects(p.exportFigure({} as p.Figure, "a.svg"), /exportFigure: argument 'fig' must be a figure/);
  await assert.rejects(p.exportFigure(fig, path.join(dir, "a.svg"), { executablePath: "/nonexistent/chromium" }), /apt-get install chromium.*SCORELAB_CHROMIUM/);
  const saved = process.env.SCORELAB_CHROMIUM;
  process.env.SCORELAB_CHROMIUM = "/nonexistent/chromium2";
  try {
    await assert.rejects(p.exportFigure(fig, path.join(dir, "a.svg")), /not found at '\/nonexistent\/chromium2'/);
  } finally {
    if (saved === undefined) delete process.env.SCORELAB_CHROMIUM;
    else process.env.SCORELAB_CHROMIUM = saved;
  }
});

test("inlinePlotly HTML draws the figure in a page: loader once, then figure scripts", async () => {
  p.resetPlotlyLoader();
  const figs = allFigures();
  const inline = { inlinePlotly: true };
  const html = (p.toMimeBundle(figs.samples, inline)["text/html"] as string) + (p.toMimeBundle(figs.gap, inline)["text/html"] as string);
  const { chromium } = require("playwright-core") as typeof import("playwright-core");
  const browser = await chromium.launch({ executablePath: p.chromiumPath(), args: [...p.CHROMIUM_FLAGS] });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    page.on("pageerror", (e) => errors.push(String(e)));
    // A RequireJS-style global define must not swallow plotly.js (classic Notebook has one).
    await page.setContent(`<script>window.define = function () {}; window.define.amd = {};</script>${html}`);
    const drawn = await page.evaluate(() => Array.from(document.querySelectorAll(".scorelab-figure")).map((d) => d.querySelectorAll(".main-svg").length));
    assert.deepEqual(errors, []);
    assert.equal(drawn.length, 2);
    assert.ok(drawn.every((n) => n > 0), "both figures drew their SVG layers");
  } finally {
    await browser.close();
  }
});
