import type { z } from "zod";
import type { ValidationIssue } from "../engine/schema/issues";
import { JourneyValidationError, NotFoundError } from "../engine/index";
import type { EngineError, EngineErrorCode } from "../engine/index";

export type ErrorCode =
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "too_large"
  | "rate_limited"
  | "unavailable"
  | "internal";

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

export interface IssueOut {
  path: string;
  message: string;
  [k: string]: unknown;
}

/** An error with an HTTP answer: `{ error: { code, message, issues? } }` (server/API.md). */
export class HttpError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: readonly (IssueOut | ValidationIssue)[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "HttpError";
    this.status = STATUS[code];
  }
  body(): { error: { code: ErrorCode; message: string; issues?: readonly unknown[] } } {
    return {
      error: { code: this.code, message: this.message, ...(this.issues ? { issues: this.issues } : {}) },
    };
  }
}

export const notFound = (what: string): HttpError => new HttpError("not_found", `${what} not found`);
export const badRequest = (message: string, issues?: IssueOut[]): HttpError =>
  new HttpError("bad_request", message, issues);
export const conflict = (message: string, issues?: readonly (IssueOut | ValidationIssue)[]): HttpError =>
  new HttpError("conflict", message, issues);

export function dotPath(path: readonly PropertyKey[]): string {
  return path.map((p) => String(p)).join(".");
}

/** Zod issues as the API reports them: the path joined with dots, and the message. */
export function zodIssues(error: z.ZodError, prefix: readonly PropertyKey[] = []): IssueOut[] {
  return error.issues.map((i) => ({ path: dotPath([...prefix, ...i.path]), message: i.message }));
}

/** The HTTP answer for each kind of engine error: chosen by the error's class, never by its message. */
const ENGINE_STATUS: Record<EngineErrorCode, ErrorCode> = {
  not_found: "not_found",
  conflict: "conflict",
  // An invalid journey is a state the client can fix by editing it: 409 with the issues (server/API.md).
  validation: "conflict",
  forbidden: "forbidden",
  bad_input: "bad_request",
};

/** An engine error as the API answers it; anything else is not an engine error and stays a 500. */
export function httpErrorOf(e: EngineError): HttpError {
  const code = ENGINE_STATUS[e.code];
  if (e instanceof JourneyValidationError) return new HttpError(code, "the journey is invalid", e.issues);
  if (e instanceof NotFoundError) return notFound(e.what);
  return new HttpError(code, e.message);
}
