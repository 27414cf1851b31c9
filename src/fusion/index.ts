export * from "./simplex-qp";
export * from "./gaussian-barycenter";
export * from "./fuse";
export type { FusionStudyOptions, FusionStudyResult } from "./study-common";
export * from "./references";
export * from "./study-1d";
export * from "./study-digits";
