/* eslint-disable @typescript-eslint/no-unsafe-member-access -- HTTP response bodies are untyped JSON */
import { randomUUID } from "node:crypto";
import { request as httpRequest, type ClientRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword, KDF_COST, verifyPassword } from "../../server/auth";
import { PASSWORD, request, testServer, type TestServer } from "../server/helpers";

let s: TestServer;
beforeAll(async () => {
  s = await testServer({ ingestRate: { rate: 1, burst: 100 }, maxInFlight: 2 });
});
afterAll(() => s.close());

const track = (i: number) => ({
  type: "track",
  userId: `u${i}`,
  event: "viewed",
  timestamp: new Date().toISOString(),
});

describe("throttles and load shedding", () => {
  it("a login spray from one address is throttled across accounts", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 45; i++) {
      const r = await request(s.app)
        .post("/api/auth/login")
        .set("X-Forwarded-For", "203.0.113.7")
        .send({ email: `user${i}@example.com`, password: "guess" });
      statuses.push(r.status);
    }
    expect(statuses.filter((x) => x === 401).length).toBeLessThanOrEqual(30);
    expect(statuses.at(-1)).toBe(429);
  });

  it("guesses at one account from many addresses are throttled per account", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const r = await request(s.app)
        .post("/api/auth/login")
        .set("X-Forwarded-For", `198.51.100.${i + 1}`)
        .send({ email: "viewer@example.com", password: `guess-${i}` });
      statuses.push(r.status);
    }
    expect(statuses.filter((x) => x === 401).length).toBeLessThanOrEqual(10);
    expect(statuses.at(-1)).toBe(429);
  });

  it("the write-key budget is counted in events, not calls", async () => {
    const full = await request(s.app)
      .post("/v1/batch")
      .set("Authorization", s.basic())
      .send({ batch: Array.from({ length: 100 }, (_, i) => track(i)) });
    expect(full.status).toBe(200);
    expect(full.body.accepted).toBe(100);
    const next = await request(s.app)
      .post("/v1/batch")
      .set("Authorization", s.basic())
      .send({ batch: Array.from({ length: 50 }, (_, i) => track(i)) });
    expect(next.status).toBe(429);
    expect(Number(next.headers["retry-after"])).toBeGreaterThanOrEqual(1);
  });

  it("past the in-flight bound the server answers 503 with Retry-After, and health checks still answer", async () => {
    const server = s.app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const { port } = server.address() as AddressInfo;
    const held: ClientRequest[] = [];
    try {
      // Two requests whose bodies never finish hold both slots.
      for (let i = 0; i < 2; i++) {
        const req = httpRequest({
          host: "127.0.0.1",
          port,
          method: "POST",
          path: "/v1/track",
          headers: { "content-type": "application/json", "content-length": "1000", authorization: s.basic() },
        });
        req.on("error", () => undefined);
        req.write('{"userId":');
        held.push(req);
      }
      const base = `http://127.0.0.1:${port}`;
      let shed: Response | undefined;
      for (let i = 0; i < 50 && shed?.status !== 503; i++) {
        shed = await fetch(`${base}/api/journeys`);
        if (shed.status !== 503) await new Promise((r) => setTimeout(r, 20));
      }
      expect(shed!.status).toBe(503);
      expect(shed!.headers.get("retry-after")).toBe("1");
      expect(((await shed!.json()) as { error: { code: string } }).error.code).toBe("unavailable");
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      for (const req of held) req.destroy();
      let after = 503;
      for (let i = 0; i < 50 && after === 503; i++) {
        after = (await fetch(`${base}/api/journeys`)).status;
        if (after === 503) await new Promise((r) => setTimeout(r, 20));
      }
      expect(after).toBe(401);
    } finally {
      for (const req of held) req.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("hashes at scrypt N=2^17 and re-hashes weaker stored hashes on sign-in", async () => {
    expect(KDF_COST).toBe(2 ** 17);
    const strong = await hashPassword("p");
    expect(strong.split("$")[1]).toBe(String(2 ** 17));
    expect(await verifyPassword("p", strong)).toBe(true);

    const id = randomUUID();
    const email = `old-${id}@example.com`;
    const now = Date.now();
    await s.ctx.srv.insertUser({
      id,
      email,
      name: "old",
      role: "viewer",
      passwordHash: await hashPassword(PASSWORD, 512),
      disabled: false,
      createdAt: now,
      updatedAt: now,
    });
    const login = await request(s.app)
      .post("/api/auth/login")
      .set("X-Forwarded-For", "192.0.2.99")
      .send({ email, password: PASSWORD });
    expect(login.status).toBe(200);
    const stored = (await s.ctx.srv.getUser(id))!.passwordHash;
    expect(stored.split("$")[1]).toBe("1024"); // the test server's cost
    expect(await verifyPassword(PASSWORD, stored)).toBe(true);
  });
});
