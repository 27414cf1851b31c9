/**
 * `scorelab install`: writes the `scorelab` kernelspec (kernel.json, logo, and plotly.js, which the server
 * serves to every notebook page as `kernelspecs/scorelab/plotly.js`) where Jupyter looks for it.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFileSync } from "child_process";
import { cliEntry } from "./paths";
import { logoPng } from "./logo";
import { KERNEL_NAME, PLOTLY_RESOURCE, plotlyPath } from "../src/plot";

export interface InstallOptions { user?: boolean; sysPrefix?: boolean; prefix?: string }

/** The kernels folder for the options (Jupyter's rules: --prefix DIR, sys.prefix, or the user data dir). */
export function kernelsDir(opts: InstallOptions): string {
  const chosen = [opts.user, opts.sysPrefix, opts.prefix !== undefined].filter(Boolean).length;
  if (chosen > 1) throw new Error("installKernelspec(): choose one of --user, --sys-prefix, --prefix");
  if (opts.prefix !== undefined) {
    if (!opts.prefix) throw new Error("installKernelspec(): --prefix needs a directory");
    return path.resolve(opts.prefix, "share", "jupyter", "kernels");
  }
  if (opts.sysPrefix) {
    let prefix = "/usr/local";
    try { prefix = execFileSync("/usr/bin/python3", ["-c", "import sys; print(sys.prefix)"], { encoding: "utf8" }).trim(); } catch { /* keep default */ }
    return path.join(prefix, "share", "jupyter", "kernels");
  }
  const data = process.env.JUPYTER_DATA_DIR
    ?? (process.platform === "darwin" ? path.join(os.homedir(), "Library", "Jupyter")
      : path.join(process.env.XDG_DATA_HOME || path.join(os.homedir(), ".local", "share"), "jupyter"));
  return path.join(data, "kernels");
}

/** The kernel.json content. */
export function kernelJson(): object {
  return {
    argv: [process.execPath, cliEntry, "kernel", "--config-path", "{connection_file}"],
    display_name: "scorelab (TypeScript)",
    language: "typescript",
    interrupt_mode: "signal",
    metadata: { scorelab: { entry: cliEntry } },
  };
}

/**
 * Writes <kernels>/scorelab/{kernel.json, logo-64x64.png, logo-32x32.png, plotly.js}; returns the folder.
 * @example installKernelspec({ prefix: "/tmp/jp" })  // "/tmp/jp/share/jupyter/kernels/scorelab"
 */
export function installKernelspec(opts: InstallOptions = {}): string {
  const dir = path.join(kernelsDir(opts), KERNEL_NAME);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "kernel.json"), JSON.stringify(kernelJson(), null, 2) + "\n");
  fs.writeFileSync(path.join(dir, "logo-64x64.png"), logoPng(64));
  fs.writeFileSync(path.join(dir, "logo-32x32.png"), logoPng(32));
  fs.copyFileSync(plotlyPath(), path.join(dir, PLOTLY_RESOURCE));
  return dir;
}
