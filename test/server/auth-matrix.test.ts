/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument -- HTTP response bodies are untyped JSON */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiRoutes } from "../../server/app";
import { ROLES } from "../../engine/index";
import { request, snapshot, testServer } from "./helpers";
import type { TestServer } from "./helpers";

const routes = apiRoutes();
const concrete = (path: string): string => path.replace(/:([A-Za-z0-9_]+)/g, "does-not-exist");

let s: TestServer;
beforeAll(async () => {
  s = await testServer();
});
afterAll(async () => {
  await s.close();
});

const send = (method: string, path: string) => {
  const r = request(s.app);
  return r[method as "get"](path);
};

describe("every protected route checks credentials and roles", () => {
  const protectedRoutes = routes.filter((r) => r.access.kind !== "public");

  it("covers the whole API table", () => {
    expect(protectedRoutes.length).toBeGreaterThan(40);
  });

  for (const r of protectedRoutes) {
    const path = concrete(r.path);
    it(`${r.method.toUpperCase()} ${r.path}: 401 without or with bad credentials`, async () => {
      const before = snapshot(s.ctx);
      const none = await send(r.method, path);
      expect(none.status).toBe(401);
      expect(none.body.error.code).toBe("unauthorized");
      const bad = await send(r.method, path).set(
        "Authorization",
        r.access.kind === "writeKey" ? s.basic("wk_wrong") : "Bearer not-a-token",
      );
      expect(bad.status).toBe(401);
      expect(snapshot(s.ctx)).toEqual(before);
    });

    if (r.access.kind === "user") {
      const allowed = r.access.roles;
      for (const role of ROLES) {
        it(`${r.method.toUpperCase()} ${r.path} as ${role}: ${allowed.includes(role) ? "allowed" : "403"}`, async () => {
          const before = snapshot(s.ctx);
          const res = await send(r.method, path)
            .set("Authorization", `Bearer ${s.token(role)}`)
            .send({});
          if (allowed.includes(role)) {
            expect([401, 403]).not.toContain(res.status);
          } else {
            expect(res.status).toBe(403);
            expect(res.body.error.code).toBe("forbidden");
            expect(snapshot(s.ctx)).toEqual(before);
          }
        });
      }
      it(`${r.method.toUpperCase()} ${r.path}: a write key is refused (403)`, async () => {
        const res = await send(r.method, path).set("Authorization", s.basic());
        expect(res.status).toBe(403);
      });
    } else {
      for (const role of ROLES) {
        it(`${r.method.toUpperCase()} ${r.path}: a ${role} session cannot ingest (401: no write key)`, async () => {
          const before = snapshot(s.ctx);
          const res = await send(r.method, path)
            .set("Authorization", `Bearer ${s.token(role)}`)
            .send({});
          expect(res.status).toBe(401);
          expect(res.headers["www-authenticate"]).toMatch(/^Basic/);
          expect(snapshot(s.ctx)).toEqual(before);
        });
      }
    }
  }

  it("a revoked write key and a disabled user are refused", async () => {
    const admin = s.token("admin");
    const created = await request(s.app)
      .post("/api/keys")
      .set("Authorization", `Bearer ${admin}`)
      .send({ name: "tmp" });
    expect(created.status).toBe(201);
    const ok = await request(s.app)
      .post("/v1/track")
      .set("Authorization", s.basic(created.body.secret))
      .send({ userId: "u1", event: "e" });
    expect(ok.status).toBe(200);
    expect(
      (await request(s.app).delete(`/api/keys/${created.body.id}`).set("Authorization", `Bearer ${admin}`))
        .status,
    ).toBe(204);
    const after = await request(s.app)
      .post("/v1/track")
      .set("Authorization", s.basic(created.body.secret))
      .send({ userId: "u1", event: "e" });
    expect(after.status).toBe(401);

    const viewer = s.token("viewer");
    const patch = await request(s.app)
      .patch(`/api/users/${s.users.viewer.id}`)
      .set("Authorization", `Bearer ${admin}`)
      .send({ disabled: true });
    expect(patch.status).toBe(200);
    expect((await request(s.app).get("/api/me").set("Authorization", `Bearer ${viewer}`)).status).toBe(401);
    await request(s.app)
      .patch(`/api/users/${s.users.viewer.id}`)
      .set("Authorization", `Bearer ${admin}`)
      .send({ disabled: false });
  });
});
