export * from "./trainer";
export * from "./clip";
export * from "./ema";
export * from "./batches";
export * from "./phema";
export * from "./options";
