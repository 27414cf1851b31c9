export * from "./types";
export * from "./schedules";
export * from "./sde";
export * from "./sigma";
export * from "./schedule-table";
export * from "./kind-table";
