#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so a checkout works right after `npm ci` with no build step.
// The product entry: the engine's commands (simulate, validate, model) plus `start` (the server).
import { register } from "tsx/esm/api";

register();
await import("../cli/main.ts");
