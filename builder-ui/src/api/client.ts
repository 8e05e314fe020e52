/** A small fetch wrapper for the Rekindle API: bearer token, JSON bodies, typed errors. */
import { API_OPERATIONS, apiPath } from "../../../engine/schema";
import type {
  ApiOperationName,
  AudienceRunQueued,
  CustomerList,
  OverviewResponse,
  Journey,
  PublishCheck,
  ResultsReport,
  TestSendRequest,
  TestSendResult,
  ValidationIssue,
} from "../../../engine/schema";
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
  Page,
  RenderedPreview,
  SimulationReport,
  StepRow,
  TemplateSummary,
  User,
  ValidateResult,
  VersionDetail,
  VersionDiff,
  VersionSummary,
} from "../../../engine/schema";

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
    if (res.status === 401 && path !== apiPath("login")) onUnauthorized();
    throw new ApiError(
      res.status,
      e?.code ?? "http",
      e?.message ?? `${res.status} ${res.statusText}`,
      e?.issues,
    );
  }
  return json as T;
}

/** Calls one operation of the schema's API table (engine/schema/api.ts): its method, and its path filled in. */
function call<T>(
  op: ApiOperationName,
  params: Record<string, string | number> = {},
  body?: unknown,
  query?: Query,
): Promise<T> {
  return request<T>(API_OPERATIONS[op].method, apiPath(op, params), body, query);
}

export const api = {
  login: (email: string, password: string) =>
    call<{ token: string; user: User }>("login", {}, { email, password }),
  logout: () => call<void>("logout"),
  me: () => call<User>("me"),
  journeys: () => call<JourneySummary[]>("journeys"),
  library: () => call<LibraryJourney[]>("library"),
  createJourney: (body: { doc: Journey } | { template: string }) =>
    call<JourneyDetail>("createJourney", {}, body),
  journey: (id: string) => call<JourneyDetail>("journey", { id }),
  saveDraft: (id: string, doc: Journey) => call<JourneyDetail>("saveDraft", { id }, { doc }),
  validate: (id: string, doc?: Journey) => call<ValidateResult>("validate", { id }, doc ? { doc } : {}),
  publish: async (id: string): Promise<{ version: number }> => {
    const r = await call<{ version: number | { version: number } }>("publish", { id });
    return { version: typeof r.version === "number" ? r.version : r.version.version };
  },
  pause: (id: string) => call<JourneyDetail>("pause", { id }),
  resume: (id: string) => call<JourneyDetail>("resume", { id }),
  archive: (id: string) => call<JourneyDetail>("archive", { id }),
  versions: (id: string) => call<VersionSummary[]>("versions", { id }),
  version: (id: string, v: number) => call<VersionDetail>("version", { id, version: v }),
  diff: (id: string, a: number, b: number) => call<VersionDiff>("diff", { id, a, b }),
  results: (id: string, query: { from?: string; to?: string; version?: number } = {}) =>
    call<ResultsReport>("results", { id }, undefined, query),
  stats: (id: string) => call<JourneyStats>("stats", { id }),
  dryRun: (id: string, body: { doc?: Journey; from: string; to: string; limitCustomers?: number }) =>
    call<SimulationReport>("dryRun", { id }, body),
  publishCheck: (id: string) => call<PublishCheck>("publishCheck", { id }),
  runAudience: (id: string, nodeId: string) => call<AudienceRunQueued>("runAudience", { id, nodeId }),
  testSend: (id: string, body: TestSendRequest) => call<TestSendResult>("testSend", { id }, body),
  nodeTypes: () => call<NodeTypeCatalog>("nodeTypes"),
  templates: () => call<TemplateSummary[]>("templates"),
  preview: (name: string, body: { customerId?: string; sample?: boolean; locale?: string }) =>
    call<RenderedPreview>("preview", { name }, body),
  customers: (query: Query) => call<Page<CustomerSummary>>("customers", {}, undefined, query),
  customer: (id: string) => call<CustomerDetail>("customer", { id }),
  customerList: (query: Query) => call<CustomerList>("customerList", {}, undefined, query),
  overview: (query: Query) => call<OverviewResponse>("overview", {}, undefined, query),
  customerEvents: (id: string, limit = 100) =>
    call<{ name: string; type: string; properties: Record<string, unknown>; timestamp: string }[]>(
      "customerEvents",
      { id },
      undefined,
      { limit },
    ),
  customerConsent: (id: string) => call<Record<string, boolean>>("customerConsent", { id }),
  customerRuns: (id: string) => call<CustomerRun[]>("customerRuns", { id }),
  steps: (query: Query) => call<Page<StepRow>>("steps", {}, undefined, query),
  retryRun: (id: string | number) => call<unknown>("retryRun", { id }),
  retryDelivery: (key: string) => call<Delivery>("retryDelivery", { key }),
  retryDeliveries: (keys: string[]) => call<{ results: RetryResult[] }>("retryDeliveries", {}, { keys }),
  delivery: (key: string) => call<Delivery>("delivery", { key }),
  deliveries: (query: Query) => call<Page<Delivery>>("deliveries", {}, undefined, query),
  audit: (query: Query) => call<Page<AuditEntry>>("audit", {}, undefined, query),
};
