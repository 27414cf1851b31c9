/** Where this scorelab installation lives, so preloads and kernelspecs use absolute paths from it. */
import * as fs from "fs";
import * as path from "path";

/** The package root (the folder holding package.json and dist/). Compiled file: <root>/dist/kernel/paths.js. */
export const packageRoot: string = fs.realpathSync(path.resolve(__dirname, "..", ".."));

/** Absolute path of the compiled CLI entry. */
export const cliEntry: string = path.join(packageRoot, "dist", "src", "cli", "main.js");

/** Absolute module paths (without .js) that the preload imports. */
export function preloadModules(): { tf: string; lab: string; cell: string } {
  return {
    tf: path.dirname(require.resolve("@tensorflow/tfjs/package.json")),
    lab: path.join(packageRoot, "dist", "src", "index"),
    cell: path.join(packageRoot, "dist", "kernel", "cell-runtime"),
  };
}
