/** Score models: networks, the eps parameterisation, DSM training and checkpoints. */
export * from "./params";
export * from "./time-embedding";
export * from "./network";
export * from "./labels";
export * from "./mlp";
export * from "./unet";
export * from "./score-net";
export * from "./dsm-loss";
export * from "./train";
export * from "./sde-settings";
export * from "./checkpoint";
export * from "./safetensors";
export * from "./safetensors-model";
export * from "./torchscript";
export * from "./exact";
export * from "./parameterisation";
export * from "./training-noise";
