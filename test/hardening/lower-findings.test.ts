/* eslint-disable @typescript-eslint/no-unsafe-member-access -- HTTP response bodies are untyped JSON */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runImportCommand } from "../../cli/import-command";
import { request, testServer, type TestServer } from "../server/helpers";

let s: TestServer;
beforeAll(async () => {
  s = await testServer();
});
afterAll(() => s.close());

describe("lower findings of the attack report", () => {
  it.each(["/api/journeys/%E0%A4%A", "/api/customers/%zz", "/u/%E0%A4%A", "/s/%E0%A4%A", "/api/runs/%"])(
    "a malformed percent-encoding in %s answers 400, not 500",
    async (path) => {
      const r = await request(s.app)
        .get(path)
        .set("Authorization", `Bearer ${s.token("admin")}`);
      expect(r.status).toBe(400);
      expect(r.body.error.message).toContain("percent-encoding");
    },
  );

  it("any bearer token on /v1 answers 401 with a Basic challenge", async () => {
    for (const token of [s.token("admin"), "not-a-token"]) {
      const r = await request(s.app)
        .post("/v1/track")
        .set("Authorization", `Bearer ${token}`)
        .send({ userId: "u", event: "e" });
      expect(r.status).toBe(401);
      expect(r.headers["www-authenticate"]).toMatch(/^Basic/);
    }
  });

  it("/metrics takes an admin session or the scrape token, nothing else", async () => {
    expect((await request(s.app).get("/metrics")).status).toBe(401);
    expect(
      (
        await request(s.app)
          .get("/metrics")
          .set("Authorization", `Bearer ${s.token("viewer")}`)
      ).status,
    ).toBe(403);
    expect(
      (
        await request(s.app)
          .get("/metrics")
          .set("Authorization", `Bearer ${s.token("admin")}`)
      ).status,
    ).toBe(200);
    process.env.REKINDLE_METRICS_TOKEN = "scrape-token-0123456789";
    try {
      const scraped = await request(s.app)
        .get("/metrics")
        .set("Authorization", "Bearer scrape-token-0123456789");
      expect(scraped.status).toBe(200);
      expect(scraped.text).toContain("rekindle_");
      expect(
        (await request(s.app).get("/metrics").set("Authorization", "Bearer scrape-token-wrong")).status,
      ).toBe(401);
    } finally {
      delete process.env.REKINDLE_METRICS_TOKEN;
    }
  });

  it("rekindle import of a directory is a clear error with exit 1, and no database is created", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rekindle-import-dir-"));
    try {
      const errors: string[] = [];
      const code = await runImportCommand(
        { orders: dir, data: join(dir, "data") } as Parameters<typeof runImportCommand>[0],
        { out: () => undefined, err: (line) => errors.push(line) },
      );
      expect(code).toBe(1);
      expect(errors.join("")).toContain("is a directory");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
