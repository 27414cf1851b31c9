export * from "./simplex-qp";
export * from "./gaussian-barycenter";
export * from "./fuse";
