/** A small fetch wrapper for the Rekindle API: bearer token, JSON bodies, typed errors. */
import type { Journey, ResultsReport, ValidationIssue } from "../../../engine/schema";
import type {
  AuditEntry,
  Delivery,
  RetryResult,
  CustomerDetail,
  CustomerRun,
  CustomerSummary,
  JourneyDetail,
  JourneyStats,
  JourneySummary,
  LibraryJourney,
  NodeTypeCatalog,
  FactEntry,
  Page,
  RenderedMessage,
  SimulationReport,
  StepRow,
  TemplateSummary,
  User,
  ValidateResult,
  VersionDetail,
  VersionDiff,
  VersionSummary,
} from "./types";

const TOKEN_KEY = "rekindle.token";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: ValidationIssue[] = [],
  ) {
    super(message);
    this.name = "ApiError";
  }
}

let token: string | null = typeof localStorage === "undefined" ? null : localStorage.getItem(TOKEN_KEY);
let onUnauthorized: () => void = () => {};

export function setToken(value: string | null): void {
  token = value;
  if (value) localStorage.setItem(TOKEN_KEY, value);
  else localStorage.removeItem(TOKEN_KEY);
}
export function getToken(): string | null {
  return token;
}
export function setUnauthorizedHandler(fn: () => void): void {
  onUnauthorized = fn;
}

type Query = Record<string, string | number | undefined | null>;

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query))
    if (v !== undefined && v !== null && v !== "") qs.set(k, String(v));
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}

export async function request<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (token) headers.authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(withQuery(path, query), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new ApiError(0, "network", err instanceof Error ? err.message : String(err));
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const e = (
      json as { error?: { code?: string; message?: string; issues?: ValidationIssue[] } } | undefined
    )?.error;
    if (res.status === 401 && path !== "/api/auth/login") onUnauthorized();
    throw new ApiError(
      res.status,
      e?.code ?? "http",
      e?.message ?? `${res.status} ${res.statusText}`,
      e?.issues,
    );
  }
  return json as T;
}

export const api = {
  login: (email: string, password: string) =>
    request<{ token: string; user: User }>("POST", "/api/auth/login", { email, password }),
  logout: () => request<void>("POST", "/api/auth/logout"),
  me: () => request<User>("GET", "/api/me"),
  journeys: () => request<JourneySummary[]>("GET", "/api/journeys"),
  library: () => request<LibraryJourney[]>("GET", "/api/journey-library"),
  createJourney: (body: { doc: Journey } | { template: string }) =>
    request<JourneyDetail>("POST", "/api/journeys", body),
  journey: (id: string) => request<JourneyDetail>("GET", `/api/journeys/${encodeURIComponent(id)}`),
  saveDraft: (id: string, doc: Journey) =>
    request<JourneyDetail>("PUT", `/api/journeys/${encodeURIComponent(id)}/draft`, { doc }),
  validate: (id: string, doc?: Journey) =>
    request<ValidateResult>("POST", `/api/journeys/${encodeURIComponent(id)}/validate`, doc ? { doc } : {}),
  publish: async (id: string): Promise<{ version: number }> => {
    const r = await request<{ version: number | { version: number } }>(
      "POST",
      `/api/journeys/${encodeURIComponent(id)}/publish`,
    );
    return { version: typeof r.version === "number" ? r.version : r.version.version };
  },
  pause: (id: string) => request<JourneyDetail>("POST", `/api/journeys/${encodeURIComponent(id)}/pause`),
  resume: (id: string) => request<JourneyDetail>("POST", `/api/journeys/${encodeURIComponent(id)}/resume`),
  archive: (id: string) => request<JourneyDetail>("POST", `/api/journeys/${encodeURIComponent(id)}/archive`),
  versions: (id: string) =>
    request<VersionSummary[]>("GET", `/api/journeys/${encodeURIComponent(id)}/versions`),
  version: (id: string, v: number) =>
    request<VersionDetail>("GET", `/api/journeys/${encodeURIComponent(id)}/versions/${v}`),
  diff: (id: string, a: number, b: number) =>
    request<VersionDiff>("GET", `/api/journeys/${encodeURIComponent(id)}/versions/${a}/diff/${b}`),
  results: (id: string, query: { from?: string; to?: string; version?: number } = {}) =>
    request<ResultsReport>("GET", `/api/journeys/${encodeURIComponent(id)}/results`, undefined, query),
  stats: (id: string) => request<JourneyStats>("GET", `/api/journeys/${encodeURIComponent(id)}/stats`),
  dryRun: (id: string, body: { doc?: Journey; from: string; to: string; limitCustomers?: number }) =>
    request<SimulationReport>("POST", `/api/journeys/${encodeURIComponent(id)}/dry-run`, body),
  nodeTypes: () => request<NodeTypeCatalog>("GET", "/api/node-types"),
  facts: () => request<FactEntry[]>("GET", "/api/facts"),
  templates: () => request<TemplateSummary[]>("GET", "/api/templates"),
  preview: (name: string, body: { customerId?: string; sample?: boolean; locale?: string }) =>
    request<RenderedMessage>("POST", `/api/templates/${encodeURIComponent(name)}/preview`, body),
  customers: (query: Query) => request<Page<CustomerSummary>>("GET", "/api/customers", undefined, query),
  customer: (id: string) => request<CustomerDetail>("GET", `/api/customers/${encodeURIComponent(id)}`),
  customerRuns: (id: string) =>
    request<CustomerRun[]>("GET", `/api/customers/${encodeURIComponent(id)}/runs`),
  steps: (query: Query) => request<Page<StepRow>>("GET", "/api/steps", undefined, query),
  retryRun: (id: string | number) =>
    request<unknown>("POST", `/api/runs/${encodeURIComponent(String(id))}/retry`),
  retryDelivery: (key: string) => request<Delivery>("POST", `/api/outbox/${encodeURIComponent(key)}/retry`),
  retryDeliveries: (keys: string[]) =>
    request<{ results: RetryResult[] }>("POST", "/api/outbox/retry", { keys }),
  delivery: (key: string) => request<Delivery>("GET", `/api/outbox/${encodeURIComponent(key)}`),
  deliveries: (query: Query) => request<Page<Delivery>>("GET", "/api/outbox", undefined, query),
  audit: (query: Query) => request<Page<AuditEntry>>("GET", "/api/audit", undefined, query),
};
