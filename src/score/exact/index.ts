export type { ExactScoreModel } from "./common";
export * from "./gaussian";
export * from "./mixture";
export * from "./empirical";
