/**
 * Rich representations of the library's own objects when they are a cell's last value (issue 21): a one-line
 * text/plain summary and a small text/html table, instead of a dump of functions and tf Variables.
 */
import * as tf from "@tensorflow/tfjs";
import { GaussianMixture } from "../data";
import { ScoreNet } from "../score";
import { SDE } from "../sde";
import { MimeBundle } from "./spec";
import { summaryBundle as bundle } from "./repr-html";
import { resultBundle } from "./reprs-results";

function isSDE(v: unknown): v is SDE {
  const o = v as Partial<SDE>;
  return !!o && typeof o === "object" && typeof o.kind === "string" && typeof o.marginal === "function" && typeof o.T === "number" && !!o.schedule;
}

const device = (): string => `${tf.getBackend()}`;

function sdeText(s: SDE): string { return `${s.kind} (${s.schedule.name} schedule, t in [${s.tMin}, ${s.T}])`; }

/** The bundle of a score model, SDE, mixture, tensor, data set or study result; undefined for anything else. */
export function libraryBundle(v: unknown): MimeBundle | undefined {
  if (v instanceof ScoreNet) {
    const params = v.variables.reduce((n, w) => n + w.size, 0);
    const net = v.config.network as { kind?: string };
    return bundle("ScoreNet", [
      ["network", `${net.kind ?? "network"} on shape [${v.shape.join(", ")}]`],
      ["parameters", params.toLocaleString("en-US")],
      ["SDE", sdeText(v.sde)],
      ["weights", v.useEma && v.ema ? "EMA" : v.ema ? "raw (EMA kept)" : "raw"],
      ["backend", device()],
    ]);
  }
  const result = resultBundle(v);
  if (result) return result;
  if (isSDE(v)) return bundle("SDE", [["kind", v.kind], ["schedule", v.schedule.name], ["T", String(v.T)], ["tMin", String(v.tMin)]]);
  if (v instanceof GaussianMixture) return bundle("GaussianMixture", [["components", String(v.k)], ["dimension", String(v.dim)]]);
  if (v instanceof tf.Tensor) {
    if (v.isDisposed) return { "text/plain": `Tensor ${v.dtype} [${v.shape.join(", ")}] (disposed)` };
    // tfjs's own printing: a preview of the values, elided in the middle for large tensors.
    return { "text/plain": `Tensor ${v.dtype} [${v.shape.join(", ")}] on ${device()}\n${v.toString().replace(/^Tensor\n?/, "")}` };
  }
  return undefined;
}
