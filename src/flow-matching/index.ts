/** Flow matching (Lipman et al. 2023; Liu et al. 2023; Tong et al. 2023): paths, exact velocities, training, sampling, likelihood. */
export * from "./path";
export * from "./convert";
export * from "./exact";
export * from "./velocity-net";
export * from "./train";
export * from "./sample";
export * from "./likelihood";
