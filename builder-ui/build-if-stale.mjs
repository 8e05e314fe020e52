#!/usr/bin/env node
// Builds the builder UI when builder-ui/dist is missing or older than any source it is built from.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { execSync } from "node:child_process";

const here = fileURLToPath(new URL(".", import.meta.url));
const root = join(here, "..");
const built = join(here, "dist", "index.html");

function newest(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const name of readdirSync(path)) {
    if (name === "node_modules" || name === "dist") continue;
    max = Math.max(max, newest(join(path, name)));
  }
  return max;
}

const sources = [
  join(here, "src"),
  join(here, "index.html"),
  join(here, "vite.config.ts"),
  join(root, "engine", "schema"),
];
const stale = !existsSync(built) || sources.some((s) => existsSync(s) && newest(s) > statSync(built).mtimeMs);
if (stale) {
  console.log("builder-ui: building (dist missing or stale)");
  execSync("npm run build:ui", { stdio: "inherit", cwd: root });
} else {
  console.log("builder-ui: dist is up to date");
}
