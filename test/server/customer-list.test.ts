/**
 * The customer list over HTTP: filtered by stage and tag, sorted, paged, and exported as CSV with a UTF-8
 * BOM (Excel on a Chinese Windows reads UTF-8 only with it).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { customerListSchema } from "../../engine/schema/customer-list";
import { request, testServer, ts } from "./helpers";
import type { TestServer } from "./helpers";

let s: TestServer;
let viewer = "";
const auth = () => ({ Authorization: `Bearer ${viewer}` });

beforeAll(async () => {
  s = await testServer();
  viewer = s.token("viewer");
  const now = Date.now();
  const batch = [
    ...["c-01", "c-02", "c-03"].map((userId, i) => ({
      type: "identify",
      userId,
      traits: { name: `王${i}`, email: `${userId}@example.com`, tags: i === 0 ? ["vip"] : [] },
      timestamp: ts(now - 3_600_000),
    })),
    // Two buyers: c-02 spent more than c-03.
    {
      type: "track",
      userId: "c-02",
      event: "order_completed",
      properties: { revenue: 300 },
      timestamp: ts(now - 60_000),
    },
    {
      type: "track",
      userId: "c-03",
      event: "order_completed",
      properties: { revenue: 80 },
      timestamp: ts(now - 60_000),
    },
  ];
  expect(
    (await request(s.app).post("/v1/batch").set("Authorization", s.basic()).send({ batch })).status,
  ).toBe(200);
});
afterAll(() => s.close());

describe("the customer list", () => {
  it("filters by stage and tag, sorts and pages", async () => {
    const all = customerListSchema.parse((await request(s.app).get("/api/customer-list").set(auth())).body);
    expect(all).toMatchObject({ total: 3, scanned: 3, complete: true, page: 1 });
    const prospects = customerListSchema.parse(
      (await request(s.app).get("/api/customer-list?stage=prospect").set(auth())).body,
    );
    expect(prospects.items.map((c) => c.id)).toEqual(["c-01"]);
    const vip = customerListSchema.parse(
      (await request(s.app).get("/api/customer-list?tag=vip").set(auth())).body,
    );
    expect(vip.items.map((c) => c.id)).toEqual(["c-01"]);
    const bySpend = customerListSchema.parse(
      (await request(s.app).get("/api/customer-list?sort=totalSpent&dir=desc&pageSize=1&page=2").set(auth()))
        .body,
    );
    expect(bySpend).toMatchObject({ total: 3, page: 2, pageSize: 1 });
    expect(bySpend.items.map((c) => [c.id, c.totalSpent])).toEqual([["c-03", 80]]);
    expect((await request(s.app).get("/api/customer-list?risk=extreme").set(auth())).status).toBe(400);
  });

  it("exports every match as CSV with a UTF-8 BOM", async () => {
    const r = await request(s.app).get("/api/customer-list?format=csv&sort=id").set(auth()).buffer(true);
    expect(r.status).toBe(200);
    expect(r.headers["content-type"]).toMatch(/text\/csv/);
    const text = r.text;
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).trim().split("\r\n");
    expect(lines[0]).toBe("id,name,email,stage,segment,churnRisk,risk,pAlive,clv,totalSpent,tags,updatedAt");
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^c-01,王0,c-01@example.com,prospect,/);
    expect(lines[1]).toContain(",vip,");
  });
});
