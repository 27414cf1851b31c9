/**
 * Teaching helpers: exact-answer checks for the classroom assignments, and the notebook transforms that make a
 * student's copy (solutions cut, nbgrader conventions) and keep stored notebooks free of outputs.
 */
export * from "./checks";
export * from "./notebook";
export * from "./grade";
