/**
 * What node-cron's module needs of Node to load in a browser. The builder bundles node-cron only for its
 * validator (engine/schema/cron.ts checks schedules with it, the same gate as the server); its scheduler,
 * daemon and task registry never run here. These stand-ins let the module's load-time lines (it locates its
 * daemon file) evaluate; anything that would start a task or a process throws.
 */
const unavailable = (what: string) => (): never => {
  throw new Error(`${what} is not available in the browser: node-cron only validates schedules here`);
};

export const resolve = (...parts: string[]): string => parts.join("/");
export const dirname = (path: string): string => path.replace(/\/[^/]*$/, "");
export const fileURLToPath = (url: string | URL): string => String(url);
export const pathToFileURL = (path: string): URL => new URL(`file://${path}`);
export const fork = unavailable("child_process.fork");
export const randomUUID = (): string => globalThis.crypto.randomUUID();
/** Base class of node-cron's task emitters; no task is ever created in the builder. */
export class EventEmitter {}
export default { resolve, dirname };
