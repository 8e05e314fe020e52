// The journey schema: the one module engine, server and builder-ui all import. No I/O.
export * from "./duration";
export * from "./time";
export * from "./cron";
export * from "./conditions";
export * from "./journey";
export * from "./ports";
export * from "./issues";
export * from "./validate";
export * from "./limits";
export * from "./events";
export * from "./results";
export * from "./statuses";
export * from "./roles";
export * from "./diff";
export * from "./api";
export * from "./facts";
export * from "./run-log";
