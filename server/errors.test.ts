import { describe, expect, it } from "vitest";
import {
  BadInputError,
  ConflictError,
  ForbiddenError,
  JourneyValidationError,
  NotFoundError,
} from "../engine/errors";
import { SimulationInputError } from "../engine/simulate/simulate";
import { httpErrorOf } from "./errors";

describe("engine errors as HTTP answers", () => {
  it("are chosen by class, whatever the message says", () => {
    const cases = [
      [new NotFoundError("run 12"), 404, "not_found", "run 12 not found"],
      [new ConflictError("not found anywhere"), 409, "conflict", "not found anywhere"],
      [
        new ForbiddenError("cannot make a live journey live"),
        403,
        "forbidden",
        "cannot make a live journey live",
      ],
      [new BadInputError("already has an active run"), 400, "bad_request", "already has an active run"],
    ] as const;
    for (const [error, status, code, message] of cases) {
      const http = httpErrorOf(error);
      expect([http.status, http.code, http.message]).toEqual([status, code, message]);
    }
  });

  it("answer an invalid journey with 409 and every issue, from publish or from the simulator", () => {
    const issues = [{ nodeId: "a1", path: "nodes[2].data.action", message: 'unknown action "x"' }];
    for (const error of [new JourneyValidationError(issues), new SimulationInputError("draft", issues)]) {
      expect(httpErrorOf(error).body()).toEqual({
        error: { code: "conflict", message: "the journey is invalid", issues },
      });
      expect(httpErrorOf(error).status).toBe(409);
    }
  });
});
