export * from "./simplex-qp";
export * from "./gaussian-barycenter";
export * from "./fuse";
export * from "./study-common";
export * from "./study-1d";
