/** Plotly figure builders (pure data -> spec), notebook display bundles and static export. */
export * from "./figure";
export * from "./style";
export { type VectorInput, type PointsInput, type MatrixInput } from "./input";
export * from "./scatter";
export * from "./image-grid";
export * from "./density";
export * from "./field";
export * from "./curves";
export * from "./training";
export * from "./fusion";
export * from "./trajectories";
export * from "./grid";
export * from "./mime";
export * from "./export";
export * from "./plotly-resource";
export * from "./static-bundle";
