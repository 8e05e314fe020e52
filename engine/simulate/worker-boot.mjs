// The entry of a simulation's worker thread. Worker threads do not inherit the parent's TypeScript loader
// (tsx, vitest), so the worker registers tsx itself, then runs the TypeScript entry.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
const entry = await import(workerData.boot.entry);
await entry.main();
