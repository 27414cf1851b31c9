export * from "./linalg";
export * from "./gaussian";
export * from "./process";
export * from "./exact-kl";
export * from "./kl-bound";
export * from "./schedule-study";
