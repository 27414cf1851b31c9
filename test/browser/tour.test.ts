/**
 * The tour in a real front-end (issue 21): Debian's classic Jupyter Notebook 6 on loopback with the scorelab
 * kernelspec, driven in Debian's Chromium by playwright-core. Run All in quick mode; every cell's output; the busy
 * indicator while the training cell runs; a saved notebook without inlined plotly.js; figures drawn after a page
 * reload; magic completion from the page's kernel connection; interrupt with the toolbar's stop button. The test
 * starts and stops its own server, kernel and browser in a temporary folder (kept, with its screenshot, on failure).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import type { Browser, Page } from "playwright-core";
import { installKernelspec } from "../../kernel/install";
import { packageRoot } from "../../kernel/paths";
import { chromiumPath, CHROMIUM_FLAGS } from "../../src/plot";

const NOTEBOOK_BIN = "/usr/bin/jupyter-notebook";
const TOKEN = "scorelab-browser-test";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitForServer(url: string, deadline: number, server: ChildProcess, log: () => string): Promise<void> {
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`jupyter-notebook exited (${server.exitCode}):\n${log()}`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`jupyter-notebook did not answer at ${url}:\n${log()}`);
}

/** The indicator's state and which cells are running ("*" prompt), as the page shows them. */
const sample = (page: Page) => page.evaluate(() => {
  const J = (window as unknown as { Jupyter: any }).Jupyter;
  const icon = document.getElementById("kernel_indicator_icon");
  const cells = J.notebook.get_cells().filter((c: any) => c.cell_type === "code");
  return {
    busy: !!icon && icon.classList.contains("kernel_busy_icon"),
    running: cells.map((c: any, i: number) => (c.element[0].querySelector(".input_prompt")?.textContent ?? "").includes("*") ? i : -1).filter((i: number) => i >= 0),
    done: cells.every((c: any) => typeof c.input_prompt_number === "number"),
  };
});

test("the tour in classic Notebook: Run All, busy while training, small saved file, figures after reload, completion, interrupt", { timeout: 90_000 }, async () => {
  assert.ok(fs.existsSync(NOTEBOOK_BIN), `${NOTEBOOK_BIN} is missing: install Debian's jupyter-notebook (.ci/debian-deps installs .ci/debian-packages)`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-browser-"));
  const nbDir = path.join(tmp, "nb");
  fs.mkdirSync(nbDir);
  fs.copyFileSync(path.join(packageRoot, "notebooks", "tour.ipynb"), path.join(nbDir, "tour.ipynb"));
  installKernelspec({ prefix: tmp });
  const port = await freePort();
  const env = {
    ...process.env,
    SCORELAB_QUICK: "1",
    JUPYTER_PATH: path.join(tmp, "share", "jupyter"),
    JUPYTER_CONFIG_DIR: path.join(tmp, "config"),
    JUPYTER_DATA_DIR: path.join(tmp, "data"),
    JUPYTER_RUNTIME_DIR: path.join(tmp, "runtime"),
    IPYTHONDIR: path.join(tmp, "ipython"),
  };
  let serverLog = "";
  const server = spawn(NOTEBOOK_BIN, ["--no-browser", "--port", String(port), "--ip", "127.0.0.1", `--NotebookApp.token=${TOKEN}`,
    `--notebook-dir=${nbDir}`, "--NotebookApp.open_browser=False",
    // CI containers run as root; the server refuses that unless told.
    ...(process.getuid?.() === 0 ? ["--allow-root"] : [])], { env, stdio: ["ignore", "pipe", "pipe"] });
  server.stdout!.on("data", (d) => { serverLog += d; });
  server.stderr!.on("data", (d) => { serverLog += d; });
  const base = `http://127.0.0.1:${port}`;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let ok = false;
  try {
    await waitForServer(`${base}/api/status?token=${TOKEN}`, Date.now() + 20_000, server, () => serverLog);
    const { chromium } = require("playwright-core") as typeof import("playwright-core");
    browser = await chromium.launch({ executablePath: chromiumPath(), args: [...CHROMIUM_FLAGS] });
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const pageErrors: string[] = [];
    page.on("pageerror", (e) => pageErrors.push(String(e)));
    await page.goto(`${base}/notebooks/tour.ipynb?token=${TOKEN}`);
    await page.waitForFunction(() => {
      const J = (window as unknown as { Jupyter?: any }).Jupyter;
      return !!J?.notebook?.kernel?.is_connected?.() && document.getElementById("kernel_indicator_icon")?.classList.contains("kernel_idle_icon");
    }, null, { timeout: 30_000 });

    // Run All; sample the indicator while cells run.
    const trainIndex = await page.evaluate(() => (window as unknown as { Jupyter: any }).Jupyter.notebook.get_cells()
      .filter((c: any) => c.cell_type === "code").findIndex((c: any) => c.get_text().includes("%train_score")));
    assert.ok(trainIndex >= 0, "the tour has a training cell");
    await page.evaluate(() => {
      const J = (window as unknown as { Jupyter: any }).Jupyter;
      J.notebook.clear_all_output();
      J.notebook.execute_all_cells();
    });
    const duringTraining: boolean[] = [];
    let trainStarted = false;
    const whileRunning: boolean[] = [];
    for (const until = Date.now() + 40_000; ;) {
      const s = await sample(page);
      if (s.running.length > 0) whileRunning.push(s.busy);
      // Classic Notebook marks every queued cell "*": the training cell runs once it is the first of them, and its
      // request has started once the indicator has read busy then (before that, the previous request's idle may
      // still be the last status). From there to its reply every look must read busy.
      if (s.running[0] === trainIndex && (s.busy || trainStarted)) { trainStarted = true; duringTraining.push(s.busy); }
      if (s.done && s.running.length === 0) break;
      assert.ok(Date.now() < until, "Run All finished within 40 s");
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(duringTraining.length > 0, "the training cell was seen running");
    assert.ok(duringTraining.every(Boolean), `busy in every look during training (${duringTraining.filter(Boolean).length}/${duringTraining.length})`);
    // A look can land between one cell's idle and the next cell's busy (on a fast run, 2 of 16 looks did). Each such
    // look belongs to a cell boundary, and a gap never spans three looks (about 300 ms idle with cells queued).
    const idle = whileRunning.filter((b) => !b).length;
    const codeCells = await page.evaluate(() => (window as unknown as { Jupyter: any }).Jupyter.notebook.get_cells().filter((c: any) => c.cell_type === "code").length);
    assert.ok(idle < codeCells, `idle in ${idle}/${whileRunning.length} looks while cells ran, more than the ${codeCells - 1} cell boundaries`);
    assert.ok(!/(?:0){3}/.test(whileRunning.map((b) => (b ? 1 : 0)).join("")), `idle for three looks in a row while cells were queued: ${whileRunning.map((b) => (b ? 1 : 0)).join("")}`);

    const outputs = await page.evaluate(() => ({
      errors: Array.from(document.querySelectorAll(".output_error")).map((e) => e.textContent ?? ""),
      plots: document.querySelectorAll(".output .js-plotly-plot").length,
      tables: document.querySelectorAll(".output_html table").length,
      // Cells that run a magic or call display() must show something; the others (sizes, dispose) show nothing.
      silent: (window as unknown as { Jupyter: any }).Jupyter.notebook.get_cells().filter((c: any) => c.cell_type === "code")
        .map((c: any, i: number) => (/^%|display\(/m.test(c.get_text()) && c.output_area.outputs.length === 0 ? `${i}: ${c.get_text().slice(0, 60)}` : ""))
        .filter(Boolean),
    }));
    assert.deepEqual(outputs.errors, []);
    assert.ok(outputs.plots >= 3, `figures drawn: ${outputs.plots}`);
    assert.ok(outputs.tables >= 1, "tables as HTML");
    assert.deepEqual(outputs.silent, [], "cells without output");

    // Saved, the notebook carries no plotly.js; after a reload its figures draw from the kernelspec's copy.
    await page.evaluate(() => (window as unknown as { Jupyter: any }).Jupyter.notebook.save_notebook());
    await page.waitForFunction(() => !(window as unknown as { Jupyter: any }).Jupyter.notebook.dirty, null, { timeout: 10_000 });
    const saved = fs.statSync(path.join(nbDir, "tour.ipynb")).size;
    assert.ok(saved < 1_500_000, `saved tour is ${saved} bytes`);
    console.log(`saved tour: ${saved} bytes; busy in ${duringTraining.length}/${duringTraining.length} looks during training`);
    await page.reload();
    await page.waitForFunction((n) => document.querySelectorAll(".output .js-plotly-plot .main-svg").length >= n, outputs.plots, { timeout: 20_000 });

    // Magic completion through the page's own kernel connection.
    await page.waitForFunction(() => (window as unknown as { Jupyter: any }).Jupyter.notebook.kernel?.is_connected?.(), null, { timeout: 20_000 });
    const matches = await page.evaluate(() => new Promise<string[]>((resolve) => {
      (window as unknown as { Jupyter: any }).Jupyter.notebook.kernel.complete("%train_score --st", 17, (m: any) => resolve(m.content.matches));
    }));
    assert.deepEqual(matches, ["--steps"]);

    // Interrupt a long training cell with the toolbar's stop button.
    await page.evaluate(() => {
      const J = (window as unknown as { Jupyter: any }).Jupyter;
      const cell = J.notebook.insert_cell_at_bottom("code");
      cell.set_text("%train_score --data data --steps 1000000 --width 16 --depth 1 --batch 64 --no-plot --as longModel");
      cell.execute();
    });
    await page.waitForFunction(() => document.getElementById("kernel_indicator_icon")?.classList.contains("kernel_busy_icon"), null, { timeout: 10_000 });
    await new Promise((r) => setTimeout(r, 1500));
    const t0 = Date.now();
    await page.click('button[data-jupyter-action="jupyter-notebook:interrupt-kernel"]');
    await page.waitForFunction(() => document.getElementById("kernel_indicator_icon")?.classList.contains("kernel_idle_icon"), null, { timeout: 10_000 });
    const stopS = (Date.now() - t0) / 1000;
    const last = await page.evaluate(() => {
      const cells = (window as unknown as { Jupyter: any }).Jupyter.notebook.get_cells();
      return cells[cells.length - 1].element[0].querySelector(".output_wrapper")?.textContent ?? "";
    });
    assert.ok(stopS < 5, `interrupt took ${stopS.toFixed(1)} s`);
    assert.match(last, /interrupt|stopped/i);
    await page.screenshot({ path: path.join(tmp, "tour.png"), fullPage: true });
    assert.ok(fs.statSync(path.join(tmp, "tour.png")).size > 10_000);
    assert.deepEqual(pageErrors, []);
    ok = true;
  } finally {
    if (!ok && page) await page.screenshot({ path: path.join(tmp, "failure.png"), fullPage: true }).catch(() => undefined);
    await browser?.close();
    server.kill("SIGTERM");
    await new Promise<void>((r) => {
      if (server.exitCode !== null) return r();
      const t = setTimeout(() => { server.kill("SIGKILL"); r(); }, 5_000);
      server.on("exit", () => { clearTimeout(t); r(); });
    });
    if (ok) fs.rmSync(tmp, { recursive: true, force: true });
    else console.error(`browser test left its folder for inspection: ${tmp}\n${serverLog.slice(-3000)}`);
  }
});
