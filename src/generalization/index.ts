// The exact k-NN search moved to src/metrics (knn.ts); re-exported so lab.generalization.nearestNeighbours stays.
export { nearestNeighbours, type Neighbours, type KnnOptions } from "../metrics";
export * from "./memorization";
export * from "./mutual-information";
export * from "./gap";
export * from "./likelihood-gap";
export * from "./alternative-objective";
export * from "./study";
export * from "./seed-run";
export * from "./claims";
export * from "./figures";
export * from "./convergence";
