export { timeGrid } from "./loop";
export type { SampleTrajectory, Sampler, StepFn } from "./loop";
export * from "./euler-maruyama";
export * from "./heun";
export * from "./predictor-corrector";
export * from "./ddim";
export * from "./likelihood";
