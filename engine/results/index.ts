// The results report (spec §4): conversions from stored events, experiments per split.
export { computeResults, type ResultsOptions } from "./report";
export { analyseExperiment, ALPHA, SRM_ALPHA, type ArmCounts, type ExperimentInput } from "./experiment";
export { GoalLedger, revenueOf } from "./goal-ledger";
export { resultsCsv } from "./csv";
