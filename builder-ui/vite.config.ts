import { defineConfig, type Plugin } from "vite";
import react from "@vitejs/plugin-react";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL(".", import.meta.url));

/**
 * The contract (engine/schema/cron.ts) checks cron schedules with node-cron's validator. node-cron's module
 * imports Node built-ins at load (to locate its daemon, for its task emitters); inside node-cron only, they
 * resolve to stand-ins (src/node-cron-shim.ts) so the module loads in the browser. Nothing else sees them.
 */
const NODE_BUILTINS = new Set(["path", "url", "child_process", "events", "node:crypto"]);
const nodeCronInBrowser: Plugin = {
  name: "rekindle:node-cron-in-browser",
  enforce: "pre",
  resolveId(source, importer) {
    if (importer?.includes("/node_modules/node-cron/") && NODE_BUILTINS.has(source))
      return fileURLToPath(new URL("./src/node-cron-shim.ts", import.meta.url));
    return null;
  },
};

export default defineConfig({
  root,
  base: "/",
  plugins: [react(), nodeCronInBrowser],
  build: {
    outDir: fileURLToPath(new URL("./dist", import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
  },
  server: {
    proxy: {
      "/api": process.env.REKINDLE_API ?? "http://localhost:3000",
      "/v1": process.env.REKINDLE_API ?? "http://localhost:3000",
    },
  },
});
