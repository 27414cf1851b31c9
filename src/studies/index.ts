export * from "./verdict";
export * from "./claim-check";
