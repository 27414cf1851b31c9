/**
 * Where a notebook page finds plotly.js without carrying it. `scorelab install` copies plotly.js into the
 * kernelspec folder, and every Jupyter server (classic Notebook 6, jupyter_server for JupyterLab and Notebook 7)
 * serves a kernelspec's files at `<base_url>kernelspecs/<kernel>/<file>`. So the same copy serves every page of
 * that server, after a reload, in a reopened notebook, with or without a running kernel, and remotely, where a
 * kernel-side loopback server would not be reachable and would change port on every restart.
 */

/** The kernelspec folder name `scorelab install` writes (kernel/install.ts). */
export const KERNEL_NAME = "scorelab";

/** The file name plotly.js gets inside the kernelspec folder. */
export const PLOTLY_RESOURCE = "plotly.js";

/** The path of the copy below a server's base URL. @example plotlyResourcePath() // "kernelspecs/scorelab/plotly.js" */
export function plotlyResourcePath(): string {
  return `kernelspecs/${KERNEL_NAME}/${PLOTLY_RESOURCE}`;
}

/**
 * Browser-side JS (an expression) that resolves to window.Plotly, loading it once per page from `url`, or, when
 * `url` is null, from the kernelspec copy below the page's base URL: classic Notebook puts it in
 * `<body data-base-url>`, JupyterLab and Notebook 7 in the `#jupyter-config-data` JSON. plotly.js 3 sets
 * window.Plotly itself and has no AMD branch, so RequireJS in classic Notebook does not swallow it.
 */
export function plotlyLoaderJs(url: string | null): string {
  const fixed = url === null ? "null" : JSON.stringify(url);
  return (
    `(function (w) {` +
    `if (w.Plotly) return Promise.resolve(w.Plotly);` +
    `if (w.scorelabPlotly) return w.scorelabPlotly;` +
    `var url = ${fixed};` +
    `if (url === null) {` +
    `var base = document.body && document.body.getAttribute("data-base-url");` +
    `if (!base) { try { base = JSON.parse(document.getElementById("jupyter-config-data").textContent).baseUrl; } catch (e) { base = null; } }` +
    `url = String(base || "/").replace(/\\/?$/, "/") + ${JSON.stringify(plotlyResourcePath())};` +
    `}` +
    `w.scorelabPlotly = new Promise(function (resolve, reject) {` +
    `var s = document.createElement("script"); s.src = url; s.async = true;` +
    `s.onload = function () { w.Plotly ? resolve(w.Plotly) : reject(new Error(url + " did not define window.Plotly")); };` +
    // A failed load is forgotten, so a later figure (after `scorelab install`) tries again.
    `s.onerror = function () { w.scorelabPlotly = undefined; reject(new Error("could not load " + url)); };` +
    `document.head.appendChild(s);` +
    `});` +
    `return w.scorelabPlotly;` +
    `})(window)`
  );
}
