import { badRequest } from "./errors";

/** A numeric cursor (an id) from a query string; undefined when absent, 400 when not a safe integer. */
export const intCursor = (c: string | undefined, field = "cursor"): number | undefined => {
  if (c === undefined || c === "") return undefined;
  const n = Number(c);
  if (!Number.isSafeInteger(n) || n < 0)
    throw badRequest(`bad ${field}`, [{ path: field, message: `bad cursor ${JSON.stringify(c)}` }]);
  return n;
};
