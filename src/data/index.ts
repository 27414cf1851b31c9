export * from "./eigen";
export * from "./gmm";
