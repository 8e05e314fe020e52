// `npm run lint:cycles`: fails on any import cycle among the product's sources (dpdm). Type-only imports
// count too: a cycle of types still ties two modules into one.
import { spawnSync } from "node:child_process";

const SOURCES = ["engine/**/*.ts", "server/**/*.ts", "cli/**/*.ts", "builder-ui/src/**/*.{ts,tsx}"];

// Known exceptions, each an ISSUER:DEPENDENCY pair of path regexps whose edge is not followed. Remove a line
// as soon as its cycle is broken.
const KNOWN = [
  // base-fit.ts imports the type BaseSnapshot from engine-model.ts, closing engine-model → fact →
  // churn/score-base → base-fit (type-only, so harmless at run time). Moving BaseSnapshot beside base-fit.ts
  // breaks it; left to the churn work that is changing these files.
  "engine/customer/base-fit\\.ts:engine/customer/engine-model\\.ts",
];

const args = ["--no-tree", "--no-warning", "--circular", "--exit-code", "circular:1", ...SOURCES];
if (KNOWN.length > 0) args.push("--skip-imports", ...KNOWN);
const run = spawnSync("dpdm", args, { stdio: "inherit" });
process.exit(run.status ?? 1);
