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
export * from "./score";
export * from "./sample";
export * from "./data";
export * from "./metrics";
export * from "./fusion";
export * from "./flow";
export * from "./bounds";
export * from "./plot";
export * from "./table";
