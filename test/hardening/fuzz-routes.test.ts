/* eslint-disable @typescript-eslint/no-unsafe-member-access -- HTTP response bodies are untyped JSON */
import { createHash } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiRoutes } from "../../server/app";
import { dbOf, request, simpleJourney, snapshot, testServer, type TestServer } from "../server/helpers";

/**
 * Hostile JSON at every /api and /v1 route: deep nesting, huge strings, odd types, prototype keys. No
 * answer is a 500, every request answers (no hang), and a rejected request leaves the store as it was.
 */
let s: TestServer;
let journeyId = "";
beforeAll(async () => {
  s = await testServer();
  const created = await request(s.app)
    .post("/api/journeys")
    .set("Authorization", `Bearer ${s.token("admin")}`)
    .send({ doc: simpleJourney({ name: "Fuzz target" }) });
  journeyId = created.body.id as string;
});
afterAll(() => s.close());

function digest(): string {
  const db = dbOf(s.ctx.store);
  const rows = [
    "journeys",
    "journey_versions",
    "customers",
    "srv_users",
    "srv_write_keys",
    "outbox",
    "runs",
  ].map((t) => db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all());
  return createHash("sha256")
    .update(JSON.stringify({ rows, counts: snapshot(s.ctx) }))
    .digest("hex");
}

const deepText = fc
  .tuple(fc.integer({ min: 20, max: 6_000 }), fc.constantFrom('{"a":', "[", '{"traits":', '{"__proto__":'))
  .map(([n, open]) => `${open.repeat(n)}1${(open === "[" ? "]" : "}").repeat(n)}`);
const hostileValue = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.string({ maxLength: 50 }),
  fc.constant("x".repeat(300_000)),
  fc.constant(-1e308),
  fc.constantFrom(null, true, 0, -0, Number.MAX_SAFE_INTEGER + 2),
  fc.dictionary(
    fc.constantFrom("__proto__", "constructor", "prototype", "toString", "hasOwnProperty"),
    fc.jsonValue({ maxDepth: 2 }),
  ),
);
/** A body: JSON text, built by hand where JSON.stringify could not express it (depth, __proto__ keys). */
const hostileBody = fc.oneof(
  deepText,
  hostileValue.map((v) => JSON.stringify(v) ?? "null"),
  fc
    .record(
      {
        doc: hostileValue,
        batch: fc.array(hostileValue, { maxLength: 5 }),
        userId: hostileValue,
        traits: hostileValue,
        email: hostileValue,
        password: hostileValue,
        from: hostileValue,
        to: hostileValue,
      },
      { requiredKeys: [] },
    )
    .map((o) => JSON.stringify(o)),
  fc.constant('{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}'),
  fc.constant("{not json"),
);

const routes = apiRoutes().filter((r) => r.path.startsWith("/api/") || r.path.startsWith("/v1/"));

describe("hostile JSON at every route", () => {
  it("covers the API", () => {
    expect(routes.length).toBeGreaterThan(30);
  });

  it.each(routes.map((r) => [r.method.toUpperCase(), r.path, r] as const))("%s %s", async (_m, _p, r) => {
    const path = r.path.replace(/:id\b/, journeyId).replace(/:([A-Za-z0-9_]+)/g, "does-not-exist");
    await fc.assert(
      fc.asyncProperty(hostileBody, async (body) => {
        const before = digest();
        let req = request(s.app)[r.method](path).timeout(20_000);
        if (r.access.kind === "user") req = req.set("Authorization", `Bearer ${s.token("admin")}`);
        if (r.access.kind === "writeKey") req = req.set("Authorization", s.basic());
        const res =
          r.method === "get" ? await req : await req.set("content-type", "application/json").send(body);
        expect(res.status, `${r.method} ${path} ${body.slice(0, 120)}`).toBeLessThan(500);
        if (res.status >= 400) expect(digest(), `${r.method} ${path} changed the store`).toBe(before);
        expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
      }),
      { numRuns: r.method === "get" ? 2 : 6 },
    );
  });
});
