// The HTTP API's request and response shapes (server/API.md): what the builder reads and the server answers.
// Types only; the operations table below names each call's method, path and the permission it needs.
import type { JourneyDiff } from "./diff";
import type { Journey } from "./journey";
import type { ValidationIssue } from "./issues";
import type { ResultsReport } from "./results";
import type { Permission, Role } from "./roles";
import type { JourneyStatus } from "./statuses";

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
}
export type LocalizedText = { en: string; zh: string };

export interface JourneyCounts {
  entered: number;
  active: number;
  converted: number;
  exited?: number;
  failed?: number;
}
export interface JourneySummary {
  id: string;
  name: string;
  status: JourneyStatus;
  liveVersion: number | null;
  updatedAt: string;
  counts?: JourneyCounts;
}
export interface JourneyDetail {
  id: string;
  name: string;
  status: JourneyStatus;
  draft: Journey;
  liveVersionId: number | null;
  liveVersion: number | null;
  createdAt: string;
  updatedAt: string;
}
export interface LibraryJourney {
  id: string;
  name: LocalizedText;
  description: LocalizedText;
  doc: Journey;
  /** The playbook's industry band for the rate the play measures (seed plays only). */
  playbook?: PlaybookBand;
}
export interface PlaybookBand {
  metric: LocalizedText;
  goal: { event: string; within: string };
  band: { low: number; high: number };
  withTesting?: { low: number; high: number };
}
export interface ControlType {
  type: string;
  kinds?: string[];
  ports: string[] | Record<string, string[]>;
  title: LocalizedText;
  dataSchema?: unknown;
}
export interface ActionType {
  type: string;
  version: number;
  title: LocalizedText;
  description?: LocalizedText;
  channel?: string;
  template?: { channel: string; required: boolean };
  ports: string[];
  config: unknown;
}
export interface NodeTypeCatalog {
  control: ControlType[];
  actions: ActionType[];
}
export interface TemplateSummary {
  name: string;
  channel: string;
  version: number;
  locales: string[] | Record<string, unknown>;
  description?: string;
}
/** A rendered template as the API answers it (a preview, or a delivery's payload). */
export interface RenderedPreview {
  channel?: string;
  subject?: string;
  body?: string;
  html?: string;
  text?: string;
  title?: string;
  [extra: string]: unknown;
}
export interface ValidateResult {
  ok: boolean;
  issues: ValidationIssue[];
  warnings: ValidationIssue[];
}
export interface VersionSummary {
  id: number;
  version: number;
  publishedAt: string;
}
export interface VersionDetail extends VersionSummary {
  doc: Journey;
}
export type VersionDiff = JourneyDiff;
export interface NodeStats {
  entered?: number;
  waiting?: number;
  ports?: Record<string, number>;
  executed?: number;
  failed?: number;
  skipped?: number;
}
export interface JourneyStats {
  nodes: Record<string, NodeStats>;
  totals: Record<string, number>;
}
export interface StepRow {
  id?: number | string;
  runId?: number | string;
  journeyId?: string;
  journeyName?: string;
  versionId?: number;
  nodeId?: string;
  nodeType?: string;
  type?: string;
  customerId?: string;
  at?: string;
  dueAt?: string;
  port?: string | null;
  outcome?: string;
  reason?: string | null;
  lateMs?: number | null;
  explain?: unknown;
  detail?: unknown;
  [extra: string]: unknown;
}
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
export interface Delivery {
  key?: string;
  journeyId?: string;
  customerId?: string;
  channel?: string | null;
  attempts?: number;
  error?: string | null;
  createdAt?: string;
  deliveredAt?: string | null;
  nodeId?: string;
  action?: string;
  template?: string | null;
  status?: string;
  at?: string;
  rendered?: RenderedPreview | null;
  reason?: string | null;
  [extra: string]: unknown;
}
/** One delivery of a bulk retry: requeued, or why not. */
export type RetryResult =
  { key: string; ok: true; status: string } | { key: string; ok: false; error: string };
export interface AuditEntry {
  id: number;
  at: string;
  userId: string | null;
  userName: string | null;
  userEmail: string | null;
  action: string;
  target: string | null;
  detail: unknown;
}
export interface CustomerRun {
  id: number | string;
  journeyId: string;
  journeyName?: string;
  versionId?: number;
  version?: number;
  status?: string;
  outcome?: string | null;
  nodeId?: string | null;
  enteredAt?: string;
  endedAt?: string | null;
  dueAt?: string | null;
  steps: StepRow[];
  deliveries: Delivery[];
  [extra: string]: unknown;
}
export interface CustomerSummary {
  id: string;
  traits: Record<string, unknown>;
  stage?: string;
  updatedAt?: string;
}
export interface CustomerDetail {
  id: string;
  traits: Record<string, unknown>;
  state?: Record<string, unknown>;
  fact?: Record<string, unknown>;
  createdAt?: string;
  updatedAt?: string;
}
/** One node's counts in a simulation report (as `engine/simulate/report.ts` writes them): ports and skips are maps. */
export interface SimulatedNodeCounts {
  entered: number;
  executed?: number;
  ports?: Record<string, number>;
  skipped?: Record<string, number>;
  deferred?: number;
  failed?: number;
  waiting?: number;
}
export interface SimulationReport {
  journeys: { name: string; counts: Record<string, SimulatedNodeCounts> }[];
  runs: {
    journey: string;
    customerId: string;
    enteredAt: string;
    endedAt?: string | null;
    outcome: string;
  }[];
  deliveries: {
    journey: string;
    customerId: string;
    nodeId: string;
    action: string;
    template?: string | null;
    at: string;
    rendered: RenderedPreview | null;
  }[];
  steps: unknown[];
  /** Spec §4: each simulated journey's results report. */
  results?: ResultsReport[];
}

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface ApiOperation {
  method: HttpMethod;
  /** Express-style path: `:name` segments are parameters. */
  path: string;
  /** What the caller's role must allow (engine/schema/roles.ts); null for a public route. */
  permission: Permission | null;
}

/** The operations the builder calls. The server's route table must answer each with the same permission. */
export const API_OPERATIONS = {
  login: { method: "POST", path: "/api/auth/login", permission: null },
  logout: { method: "POST", path: "/api/auth/logout", permission: "view" },
  me: { method: "GET", path: "/api/me", permission: "view" },
  journeys: { method: "GET", path: "/api/journeys", permission: "view" },
  library: { method: "GET", path: "/api/journey-library", permission: "view" },
  createJourney: { method: "POST", path: "/api/journeys", permission: "edit" },
  journey: { method: "GET", path: "/api/journeys/:id", permission: "view" },
  saveDraft: { method: "PUT", path: "/api/journeys/:id/draft", permission: "edit" },
  validate: { method: "POST", path: "/api/journeys/:id/validate", permission: "view" },
  publish: { method: "POST", path: "/api/journeys/:id/publish", permission: "edit" },
  pause: { method: "POST", path: "/api/journeys/:id/pause", permission: "operate" },
  resume: { method: "POST", path: "/api/journeys/:id/resume", permission: "operate" },
  archive: { method: "POST", path: "/api/journeys/:id/archive", permission: "edit" },
  versions: { method: "GET", path: "/api/journeys/:id/versions", permission: "view" },
  version: { method: "GET", path: "/api/journeys/:id/versions/:version", permission: "view" },
  diff: { method: "GET", path: "/api/journeys/:id/versions/:a/diff/:b", permission: "view" },
  results: { method: "GET", path: "/api/journeys/:id/results", permission: "view" },
  stats: { method: "GET", path: "/api/journeys/:id/stats", permission: "view" },
  dryRun: { method: "POST", path: "/api/journeys/:id/dry-run", permission: "edit" },
  publishCheck: { method: "GET", path: "/api/journeys/:id/publish-check", permission: "edit" },
  runAudience: { method: "POST", path: "/api/journeys/:id/audience/:nodeId/run", permission: "edit" },
  testSend: { method: "POST", path: "/api/journeys/:id/test-send", permission: "edit" },
  nodeTypes: { method: "GET", path: "/api/node-types", permission: "view" },
  facts: { method: "GET", path: "/api/facts", permission: "view" },
  templates: { method: "GET", path: "/api/templates", permission: "view" },
  preview: { method: "POST", path: "/api/templates/:name/preview", permission: "view" },
  customers: { method: "GET", path: "/api/customers", permission: "view" },
  customerList: { method: "GET", path: "/api/customer-list", permission: "view" },
  customerEvents: { method: "GET", path: "/api/customers/:id/events", permission: "view" },
  customerConsent: { method: "GET", path: "/api/customers/:id/consent", permission: "view" },
  customer: { method: "GET", path: "/api/customers/:id", permission: "view" },
  customerRuns: { method: "GET", path: "/api/customers/:id/runs", permission: "view" },
  steps: { method: "GET", path: "/api/steps", permission: "view" },
  retryRun: { method: "POST", path: "/api/runs/:id/retry", permission: "repair" },
  retryDelivery: { method: "POST", path: "/api/outbox/:key/retry", permission: "repair" },
  retryDeliveries: { method: "POST", path: "/api/outbox/retry", permission: "repair" },
  delivery: { method: "GET", path: "/api/outbox/:key", permission: "view" },
  deliveries: { method: "GET", path: "/api/outbox", permission: "view" },
  audit: { method: "GET", path: "/api/audit", permission: "repair" },
  overview: { method: "GET", path: "/api/overview", permission: "view" },
} as const satisfies Record<string, ApiOperation>;
export type ApiOperationName = keyof typeof API_OPERATIONS;

/** The operation's path with its `:name` parameters filled in (URL-encoded). */
export function apiPath(name: ApiOperationName, params: Record<string, string | number> = {}): string {
  return API_OPERATIONS[name].path.replace(/:(\w+)/g, (_, k: string) => {
    const v = params[k];
    if (v === undefined) throw new Error(`apiPath(${name}): missing parameter ${k}`);
    return encodeURIComponent(String(v));
  });
}
