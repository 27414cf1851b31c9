export * from "./loop";
export * from "./euler-maruyama";
export * from "./heun";
export * from "./predictor-corrector";
export * from "./ddim";
export * from "./likelihood";
