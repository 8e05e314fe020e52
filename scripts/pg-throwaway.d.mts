/** Types of pg-throwaway.mjs, for the test suite's global set-up. */
export interface ThrowawayPostgres {
  url: string;
  host: string;
  port: number;
  dir: string;
  /** `immediate` skips the shutdown checkpoint (tests: the folder is deleted anyway). */
  stop(opts?: { immediate?: boolean }): Promise<void>;
}
export function findPostgresBin(): string | null;
export function ensurePostgresBin(log?: (message: string) => void): string;
export function startThrowawayPostgres(opts?: {
  database?: string;
  log?: (message: string) => void;
}): Promise<ThrowawayPostgres>;
