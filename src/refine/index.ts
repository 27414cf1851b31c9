/** Refinement: discriminators, discriminator guidance, density-ratio refinement of any generator. */
export * from "./discriminator";
export * from "./train-discriminator";
export * from "./guidance";
export * from "./exact-ratio";
export * from "./quadratic-logistic";
export * from "./reweight";
export * from "./refine-generator";
export * from "./study";
export * from "./refined-kl";
export * from "./generalization-run";
export * from "./guidance-run";
export * from "./claims";
export * from "./figures";
