import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import {
  API_OPERATIONS,
  FACTS,
  FACTS_CATALOG,
  PERMISSIONS,
  ROLES,
  topLevelConditionSchema,
} from "../../engine/schema";
import type { ApiOperationName } from "../../engine/schema";
import { apiRoutes } from "../../server/app";
import { allowsFor } from "../../builder-ui/src/session";
import { factOptions, leafFor } from "../../builder-ui/src/graph/facts";

// One contract (engine/schema): the server's route table and the builder's API client and buttons all derive
// from its role table and operations table. This fails the moment the builder and the server disagree.
const ROOT = join(import.meta.dirname, "..", "..");
const routes = apiRoutes();
const routeOf = (method: string, path: string) =>
  routes.find((r) => r.method.toUpperCase() === method && r.path === path);

describe("the builder and the server agree on one contract", () => {
  it("every signed-in route's roles are its permission's roles in the schema's role table", () => {
    for (const r of routes) {
      if (r.access.kind !== "user") continue;
      expect(PERMISSIONS[r.access.permission], `${r.method} ${r.path}`).toEqual(r.access.roles);
    }
  });

  it("every operation the builder calls is a server route with the same method, path and permission", () => {
    for (const [name, op] of Object.entries(API_OPERATIONS)) {
      const r = routeOf(op.method, op.path);
      expect(r, `${name}: ${op.method} ${op.path} has no server route`).toBeDefined();
      const permission = r!.access.kind === "user" ? r!.access.permission : null;
      expect(permission, `${name}: ${op.method} ${op.path}`).toBe(op.permission);
    }
  });

  it("the builder shows a button to exactly the roles the server lets call it (pause and resume too)", () => {
    for (const role of ROLES) {
      const allows = allowsFor(role);
      for (const name of Object.keys(API_OPERATIONS) as ApiOperationName[]) {
        const op = API_OPERATIONS[name];
        const access = routeOf(op.method, op.path)!.access;
        const server = access.kind === "public" || (access.kind === "user" && access.roles.includes(role));
        expect(allows(name), `${role} ${name}`).toBe(server);
      }
    }
    expect(allowsFor("marketer")("pause")).toBe(true);
    expect(allowsFor("viewer")("pause")).toBe(false);
  });

  it("the server's /api/facts and the builder's fact picker are the schema's one facts catalog", async () => {
    const served = await routeOf("GET", "/api/facts")!.handler({} as never);
    expect(served).toEqual(FACTS_CATALOG);
    // The builder adds no fact of its own: every option comes from a catalog entry, and every fact the
    // engine's conditions know has one.
    expect(factOptions([])).toEqual([]);
    const options = factOptions(FACTS_CATALOG);
    expect(options).toHaveLength(FACTS_CATALOG.filter((f) => f.type !== "object").length);
    expect(new Set(options.map((o) => o.fact))).toEqual(new Set(FACTS));
    // And the condition each option makes is one the engine's contract accepts.
    for (const o of options) {
      const leaf = leafFor(o);
      expect(topLevelConditionSchema.safeParse({ all: [leaf] }).success, o.id).toBe(true);
    }
  });

  it("the builder writes no API path of its own: every call goes through the operations table", () => {
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name)) {
          const src = readFileSync(p, "utf8");
          for (const m of src.matchAll(/["'`]\/(?:api|v1)\/[^"'`]*/g))
            offenders.push(`${relative(ROOT, p)}: ${m[0]}`);
        }
      }
    };
    walk(join(ROOT, "builder-ui", "src"));
    expect(offenders).toEqual([]);
  });
});
