export * from "./noise-level";
export * from "./gaussian-fit";
export * from "./sd-flow";
export * from "./gaussian-closed-form";
export * from "./flow-seed";
export * from "./flow-checks";
export * from "./flow-study";
