/**
 * Action modules that live outside the product's folder (`/opt/acme/actions/points.ts`): Node would read a
 * `.ts` file there as CommonJS (no `"type": "module"` above it) and could not find the product's packages
 * (`zod`) from there. A module resolution hook, registered once per folder, reads such files as ES modules
 * and, when a bare import is not found in the module's own `node_modules`, resolves it from the product's.
 */
import { register } from "node:module";
import { dirname, relative, isAbsolute } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The product's root folder (where its package.json and node_modules are). */
export const PRODUCT_ROOT = fileURLToPath(new URL("../../", import.meta.url));

// Runs in Node's loader; plain JavaScript because it is loaded from a data: URL, outside the TypeScript build.
const HOOKS = `
let dirs = [];
let root = "";
export async function initialize(data) { dirs = data.dirs; root = data.root; }
const ours = (url) => typeof url === "string" && !url.includes("/node_modules/") && dirs.some((d) => url.startsWith(d));
export async function resolve(specifier, context, next) {
  let found;
  try {
    found = await next(specifier, context);
  } catch (e) {
    const bare = !/^(\\.|\\/|[a-zA-Z]+:)/.test(specifier);
    if (!bare || !ours(context.parentURL) || (e && e.code !== "ERR_MODULE_NOT_FOUND")) throw e;
    return next(specifier, { ...context, parentURL: root });
  }
  if (ours(found.url) && found.format !== "module" && /\\.(ts|mts|js|mjs)$/.test(found.url))
    return { ...found, format: "module" };
  return found;
}
`;

const registered = new Set<string>();

/** Whether `file` lies inside the product's folder (its own package.json already makes it an ES module). */
export function insideProduct(file: string): boolean {
  const rel = relative(PRODUCT_ROOT, file);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
}

/** Lets the module at `fileUrl` load from wherever it lives (see the file comment). Idempotent per folder. */
export function allowOutsideModule(fileUrl: string): void {
  if (!fileUrl.startsWith("file:")) return;
  const file = fileURLToPath(fileUrl);
  if (insideProduct(file)) return;
  const dir = pathToFileURL(`${dirname(file)}/`).href;
  if (registered.has(dir)) return;
  registered.add(dir);
  register(`data:text/javascript,${encodeURIComponent(HOOKS)}`, {
    data: { dirs: [dir], root: pathToFileURL(`${PRODUCT_ROOT}package.json`).href },
  });
}
