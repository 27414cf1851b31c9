/** Conditioning and guidance: classifier-free guidance (Ho & Salimans 2022), autoguidance (Karras et al. 2024). */
export * from "./guided";
export * from "./class-score";
export * from "./exact-classes";
