/**
 * scorelab: a library for research on score-based generative models, and the library behind the scorelab kernel.
 * Everything a magic does is one of these functions, so notebooks, scripts, the CLI and the tests share them.
 * @example
 * const lab = require("scorelab");
 * await lab.ready();            // chooses the tensor backend
 * lab.describeBackend();        // "tfjs 4.22.0 backend wasm (SIMD on, threads off) on CPU; ..."
 */
export * from "./tensor";
export { initBackend as ready } from "./tensor/backend";
export * from "./sde";
export * from "./train";
export * from "./score";
export * from "./sample";
export * from "./data";
export * from "./metrics";
export * from "./plot";
export * from "./table";
export { sweep, resumeSweep, defineTrial, listTrials, sweepFigure, meanCI, type SweepSpec, type SweepOptions, type SweepResult } from "./sweep";
// The research threads keep their own namespaces (lab.fusion.fuse, lab.bounds.klBound, ...): their study helpers
// share names such as StudyResult, and a namespace says which paper a function belongs to.
export * as fusion from "./fusion";
export * as flow from "./flow";
export * as bounds from "./bounds";
export * as refine from "./refine";
export * as generalization from "./generalization";
export * as check from "./check";
export { verdict, combineReproduced, reproducedFrom, checkClaim, Verdict, VERDICT_MIME, type Reproduced, type VerdictData, type ClaimCheckSpec, type ClaimCheckData } from "./studies";
export * as flowMatching from "./flow-matching";
export * as guidance from "./guidance";
