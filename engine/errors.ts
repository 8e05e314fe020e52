import type { ValidationIssue } from "./schema/issues";

/**
 * What kind of failure an engine error is. Callers choose their answer by this code (the server maps it to an
 * HTTP status in server/errors.ts), never by the message text, which is for people and may change.
 */
export type EngineErrorCode = "not_found" | "conflict" | "validation" | "forbidden" | "bad_input";

export abstract class EngineError extends Error {
  abstract readonly code: EngineErrorCode;
}

/** Something named does not exist: `what` is e.g. "journey 7f…" or "run 12". */
export class NotFoundError extends EngineError {
  readonly code = "not_found";
  constructor(readonly what: string) {
    super(`${what} not found`);
    this.name = "NotFoundError";
  }
}

/** The request is well formed but the current state does not allow it (e.g. resuming a live journey). */
export class ConflictError extends EngineError {
  readonly code = "conflict";
  constructor(message: string) {
    super(message);
    this.name = "ConflictError";
  }
}

/** A journey document that does not pass validation (spec §1), with every issue found. */
export class JourneyValidationError extends EngineError {
  readonly code = "validation";
  constructor(readonly issues: ValidationIssue[]) {
    super(`the journey has ${issues.length} issue(s): ${issues.map((i) => i.message).join("; ")}`);
    this.name = "JourneyValidationError";
  }
}

/** The caller may not do this (e.g. an action that the acting role is not allowed). */
export class ForbiddenError extends EngineError {
  readonly code = "forbidden";
  constructor(message: string) {
    super(message);
    this.name = "ForbiddenError";
  }
}

/** Input that is malformed in itself (a bad file, a bad argument), whatever the state. */
export class BadInputError extends EngineError {
  readonly code = "bad_input";
  constructor(message: string) {
    super(message);
    this.name = "BadInputError";
  }
}
