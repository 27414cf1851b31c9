/** %backend: which tensor backend the session uses and why the ones above it were skipped. */
import { BackendInfo, describeBackend, initBackend } from "../tensor";
import { defineMagic } from "./spec";

export const backendMagic = defineMagic<BackendInfo>({
  name: "backend",
  summary: "show the tensor backend in use and why higher rungs were skipped",
  options: [{ flags: "-q, --quiet", description: "return the info without printing" }],
  async run({ opts }, ctx) {
    const info = await initBackend();
    if (!opts.quiet) ctx.print(describeBackend(info));
    return info;
  },
});
