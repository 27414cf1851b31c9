export * from "./backend";
export * from "./ladder";
export * from "./rng";
export * from "./matmul-fix";
export * from "./validate";
export * from "./blas";
export * from "./fused-adam";
export * from "./im2col";
