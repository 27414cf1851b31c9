export * from "./pairwise";
export * from "./mmd";
export * from "./energy";
export * from "./wasserstein";
export * from "./nearest";
export * from "./knn";
