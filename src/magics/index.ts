/** Magics: IPython-style one-liners over the library. See registry.ts to add one. */
export * from "./spec";
export * from "./parse";
export * from "./progress";
export * from "./mime";
export * from "./registry";
