/**
 * scorelab: a library for research on score-based generative models, and the library behind the scorelab kernel.
 * @example
 * const lab = require("scorelab");
 * await lab.ready();            // chooses the tensor backend
 * lab.describeBackend();        // "tfjs 4.22.0 backend wasm (SIMD on, threads off) on CPU; ..."
 */
export * from "./tensor";
export { initBackend as ready } from "./tensor/backend";
