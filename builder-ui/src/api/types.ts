/** Shapes of the HTTP API (server/API.md). Everything the builder reads from the server. */
import type { Journey, ResultsReport, ValidationIssue } from "../../../engine/schema";

export type Role = "admin" | "marketer" | "ops" | "viewer";
export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
}
export type LocalizedText = { en: string; zh: string };
export type JourneyStatus = "draft" | "live" | "paused" | "archived";

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
export interface FactEntry {
  fact: string;
  path?: string;
  type: string;
  unit?: string;
  enum?: readonly string[];
  description: LocalizedText;
  example?: unknown;
}
export interface TemplateSummary {
  name: string;
  channel: string;
  version: number;
  locales: string[] | Record<string, unknown>;
  description?: string;
}
export interface RenderedMessage {
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
export interface VersionDiff {
  nodes: { added: string[]; removed: string[]; changed: string[] };
  edges: { added: string[]; removed: string[] };
  settings: { changed: string[] | boolean };
}
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
  rendered?: RenderedMessage | null;
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
export interface SimulationReport {
  journeys: { name: string; counts: Record<string, Record<string, number>> }[];
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
    rendered: RenderedMessage | null;
  }[];
  steps: unknown[];
  /** Spec §4: each simulated journey's results report. */
  results?: ResultsReport[];
}
