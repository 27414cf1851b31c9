// Where a page finds plotly.js (src/plot/plotly-resource.ts): the kernelspec copy below the server's base URL, loaded
// once per page. The loader runs here in a small stand-in for a page (node:vm): which URL it asks for is the promise.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as vm from "node:vm";
import { KERNEL_NAME, PLOTLY_RESOURCE, plotlyLoaderJs, plotlyResourcePath } from "../../src/plot/plotly-resource";

/** A page with an optional <body data-base-url> and #jupyter-config-data; records the scripts the loader adds. */
function page(opts: { baseUrl?: string; configJson?: string; plotly?: unknown } = {}) {
  const scripts: { src: string; onload?: () => void; onerror?: () => void }[] = [];
  const window: Record<string, unknown> = {};
  if (opts.plotly) window.Plotly = opts.plotly;
  const document = {
    body: { getAttribute: (k: string) => (k === "data-base-url" ? opts.baseUrl ?? null : null) },
    getElementById: (id: string) => (id === "jupyter-config-data" && opts.configJson !== undefined ? { textContent: opts.configJson } : null),
    createElement: () => ({ src: "" }),
    head: { appendChild: (s: { src: string }) => { scripts.push(s); } },
  };
  const run = (url: string | null) => vm.runInNewContext(plotlyLoaderJs(url), { window, document, Promise, JSON, String, Error }) as Promise<unknown>;
  return { run, scripts, window };
}

test("the copy lives at kernelspecs/scorelab/plotly.js below the base URL", () => {
  assert.equal(plotlyResourcePath(), `kernelspecs/${KERNEL_NAME}/${PLOTLY_RESOURCE}`);
  assert.equal(plotlyResourcePath(), "kernelspecs/scorelab/plotly.js");
});

test("the loader reads the base URL of classic Notebook, then JupyterLab's config, then '/'; a fixed URL wins", () => {
  const classic = page({ baseUrl: "/user/ada" });
  void classic.run(null);
  assert.deepEqual(classic.scripts.map((s) => s.src), ["/user/ada/kernelspecs/scorelab/plotly.js"]);
  const lab = page({ configJson: JSON.stringify({ baseUrl: "/lab-base/" }) });
  void lab.run(null);
  assert.deepEqual(lab.scripts.map((s) => s.src), ["/lab-base/kernelspecs/scorelab/plotly.js"]);
  const bare = page({ configJson: "not json" });
  void bare.run(null);
  assert.deepEqual(bare.scripts.map((s) => s.src), ["/kernelspecs/scorelab/plotly.js"]);
  const fixed = page({ baseUrl: "/ignored" });
  void fixed.run("https://cdn.example/plotly.js");
  assert.deepEqual(fixed.scripts.map((s) => s.src), ["https://cdn.example/plotly.js"]);
});

test("one script per page: a second figure waits on the first load; a loaded Plotly is used as is; a failed load is retried", async () => {
  const p = page({ baseUrl: "/" });
  const a = p.run(null), b = p.run(null);
  assert.equal(p.scripts.length, 1, "the second call reuses the pending load");
  p.window.Plotly = { newPlot: true };
  p.scripts[0].onload!();
  assert.deepEqual(await a, { newPlot: true });
  assert.deepEqual(await b, { newPlot: true });
  const ready = page({ plotly: { v: 3 } });
  assert.deepEqual(await ready.run(null), { v: 3 });
  assert.equal(ready.scripts.length, 0);
  const failing = page({ baseUrl: "/" });
  const f = failing.run(null);
  failing.scripts[0].onerror!();
  await assert.rejects(f, /could not load \/kernelspecs\/scorelab\/plotly\.js/);
  void failing.run(null);
  assert.equal(failing.scripts.length, 2, "after a failure the next figure tries again");
  const empty = page({ baseUrl: "/" });
  const e = empty.run(null);
  empty.scripts[0].onload!();
  await assert.rejects(e, /did not define window\.Plotly/);
});
