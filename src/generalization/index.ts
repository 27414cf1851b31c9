export * from "./nearest";
export * from "./memorization";
export * from "./mutual-information";
export * from "./gap";
export * from "./likelihood-gap";
export * from "./alternative-objective";
export * from "./study";
