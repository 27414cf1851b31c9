/** Results tables (arquero) with CSV/Arrow files, HTML display and danfo interop. */
export * from "./results-table";
export * from "./danfo";
