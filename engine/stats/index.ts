// Experiment statistics: pure functions, no I/O. The results engine and the builder's verdicts use them.
export * from "./distributions";
export * from "./proportions";
export * from "./msprt";
export * from "./holm";
export * from "./srm";
export * from "./revenue";
