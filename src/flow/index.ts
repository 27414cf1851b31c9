export * from "./noise-level";
export * from "./gaussian-fit";
export * from "./sd-flow";
export * from "./flow-study";
