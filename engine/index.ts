/**
 * The engine's front door. The server and the command line reach the engine only through this module (and
 * the journey contract in engine/schema): its commands (the `Engine`: create, save a draft, publish, pause,
 * resume, enter, ingest, retry a run or a delivery), its read side (`Queries`), the `Store` interface and
 * the one place the embedded store is opened (`openSqliteStore`). Nothing outside engine/store sees SQL.
 */
import type { WalCheckpointerOptions } from "./store/sqlite/checkpointer";
import { copyEngineTables } from "./store/sqlite/copy";
import { SqliteStore } from "./store/sqlite/store";
import { copySqliteToPostgres } from "./store/postgres/copy-from-sqlite";
import type { CopyReport } from "./store/postgres/copy-from-sqlite";
import { PostgresStore } from "./store/postgres/store";
import type { OpenPostgresOptions } from "./store/postgres/store";
import type { Store } from "./store/types";

// ---- commands: the engine and the loops that drive it ----
export { Engine } from "./runtime/engine";
export {
  BadInputError,
  ConflictError,
  EngineError,
  ForbiddenError,
  JourneyValidationError,
  NotFoundError,
} from "./errors";
export type { EngineErrorCode } from "./errors";
export type { DeliveryRetryResult, EngineOptions } from "./runtime/engine";
export type { IngestOptions, IngestStatus } from "./runtime/ingest";
export type { PublishCheckOptions } from "./runtime/publish-check";
export { TEST_COUPON } from "./runtime/test-send";
export { Scheduler } from "./runtime/scheduler";
export { AudienceSchedules } from "./runtime/audience-schedules";
export { Driver } from "./runtime/driver";
export { localZone } from "./runtime/recurring/timers";
export { ManualClock, systemClock } from "./runtime/clock";
export type { Clock } from "./runtime/clock";
export type { TemplateRenderer } from "./runtime/template-renderer";

// ---- queries: the read side ----
export { Queries } from "./read/queries";
export { ReplayTooLargeError } from "./read/replay-input";
export type { NodeTally, RunTotals } from "./read/node-stats";
export type { RunTrace } from "./read/trace";
export { customerListCsv, listCustomers } from "./read/customer-list";

export { computeResults, resultsCsv } from "./results/index";
export type { ResultsOptions } from "./results/index";

// ---- storage: the interface, and the embedded implementation's opener ----
export type {
  CustomerRow,
  JourneyRow,
  JourneyStatus,
  JourneyVersionRow,
  OutboxRow,
  OutboxStatus,
  RunRow,
  RunStatus,
  StepQuery,
  StepRow,
  Store,
  StoredEvent,
} from "./store/types";
export { ROLES } from "./store/admin-types";
export type { AdminStore, AuditRow, Role, UserRow, WriteKeyRow } from "./store/admin-types";

export interface OpenSqliteOptions {
  /** Background WAL checkpointing (default) or SQLite's inline checkpoints. */
  checkpoint?: "background" | "inline";
  checkpointer?: WalCheckpointerOptions;
}

/** Copies the engine tables of an embedded store (e.g. a `:memory:` one) into an engine-empty database file. */
export function copySqliteStoreInto(from: Store, file: string): Promise<void> {
  if (!(from instanceof SqliteStore))
    throw new TypeError("copySqliteStoreInto takes an embedded SQLite store");
  copyEngineTables(from, file);
  return Promise.resolve();
}

/**
 * Opens the PostgreSQL store at `url` (postgres://…), for several workers and API servers on one database.
 * Refuses a database whose schema is older than this version unless `migrate` is true (`rekindle migrate`).
 */
export function openPostgresStore(url: string, opts: OpenPostgresOptions = {}): Promise<Store> {
  return PostgresStore.open(url, { migrate: false, ...opts });
}

/** Applies this version's migrations to the PostgreSQL database at `url`. */
export async function migratePostgresDatabase(url: string): Promise<void> {
  await (await PostgresStore.open(url, { migrate: true, poolSize: 1 })).close();
}

/** Copies an embedded installation's SQLite file into a migrated, empty PostgreSQL database, counting rows. */
export async function copySqliteFileToPostgres(file: string, url: string): Promise<CopyReport> {
  const target = await PostgresStore.open(url, { migrate: false, poolSize: 2 });
  try {
    return await copySqliteToPostgres(file, target);
  } finally {
    await target.close();
  }
}
export { PostgresConnectError } from "./store/postgres/connect";
export { SchemaOutdatedError } from "./store/postgres/migrate";
export { CopyStoreError } from "./store/postgres/copy-from-sqlite";
export type { CopyReport } from "./store/postgres/copy-from-sqlite";
export type { OpenPostgresOptions } from "./store/postgres/store";

/** Opens (creating and migrating) the embedded SQLite store in a file, or a private one for `:memory:`. */
export function openSqliteStore(file: string, opts: OpenSqliteOptions = {}): Store {
  return SqliteStore.open(file, opts);
}

// ---- plug-ins and collaborators the engine is assembled from ----
export { loadActionRegistry } from "./actions/load-plugins";
export type { ActionRegistry } from "./actions/registry";
export { channelDeliver } from "./actions/builtins/channel-deliver";
export { createChannelProviders, loadChannelConfig } from "./channels/config";
export type { ChannelProviders } from "./channels/config";
export { webhookDestinationIssues } from "./channels/destination-policy";
export { redactResponse } from "./channels/redact";
export { loadTemplateLibrary, TemplateError } from "./templates/index";
export type { TemplateLibrary, TemplateLocale } from "./templates/index";
export { libraryRenderer } from "./templates/engine-renderer";
export { lifecycleModel } from "./customer/engine-model";
export type { LifecycleModel } from "./customer/engine-model";
export { followSnapshots, NightlyRecompute, refitBase, restoreSnapshot } from "./customer/recompute-job";
export { DailySnapshots, SNAPSHOT_KIND } from "./customer/overview/daily-job";
export { localDay, takeSnapshot, type SnapshotResult } from "./customer/overview/snapshot";
export { backfillSnapshots } from "./customer/overview/backfill";
export { demoCustomers } from "./customer/demo/generate";
export type { DemoEvent } from "./customer/demo/generate";
export { replayDemo } from "./customer/demo/replay";
export type { DemoReplayResult } from "./customer/demo/replay";
export { simulate, SimulationInputError } from "./simulate/simulate";
export { simulateInWorker } from "./simulate/worker";
export { DEFAULT_RETENTION, loadRetentionConfig, RetentionConfigError } from "./retention/config";
export type { RetentionConfig } from "./retention/config";
export { hasRetention, runRetention } from "./retention/run";
export type { RetentionSummary } from "./retention/run";
export type { WorkerSimulation } from "./simulate/worker";
export {
  budgetFrom,
  CLI_SIMULATE_BUDGET,
  DRY_RUN_BUDGET,
  SimulationBudgetError,
  SimulationCancelledError,
} from "./simulate/budget";
export type { SimulationBudget } from "./simulate/budget";

// ---- what the command line runs (cli/) ----
export { defaultRegistry } from "./actions/builtins/index";
export { importFiles, ImportError } from "./customer/import";
export type { ImportFormat, ImportReport } from "./customer/import";
export { recomputeAll, refreshAll } from "./customer/recompute-job";
export { parseAsOf } from "./customer/as-of";
export type { RecomputeResult } from "./customer/recompute-job";
export { EventFileError, parseEventLines } from "./simulate/events-file";
export { parseColumnsOption, runModelFit } from "./customer/model/fit-cli";
export { parseHorizon, runModelScore, SCORE_HEADER } from "./customer/model/score-cli";
export type { ModelScoreOptions, ModelScoreSummary, OrdersInput } from "./customer/model/score-cli";
export { runModelEvaluate } from "./customer/model/evaluate-cli";
export { formatBacktest } from "./customer/churn/backtest";
export type { BacktestReport } from "./customer/churn/backtest";
export type { ModelFitOptions, Writable as ModelFitWritable } from "./customer/model/fit-cli";
export { DatabaseLockedError } from "./store/sqlite/data-lock";

// ---- consent, coupons, surveys ----
export {
  consentOf,
  resubscribe,
  unsubscribe,
  unsubscribeLinks,
  verifyUnsubscribeToken,
} from "./consent/index";
export { UNSUBSCRIBE_LINK_DAYS } from "./consent/token";
export { generateCouponCodes, importCouponCodes, storeCouponIssuer } from "./coupons/index";
export {
  checkSurveyAnswer,
  recordSurveyResponse,
  SURVEY_SCALES,
  surveyLink,
  surveyMessageId,
  verifySurveyToken,
} from "./customer/survey";
export type { SurveyInvite, SurveyKind, SurveyLang } from "./customer/survey";
