import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { defaultRegistry } from "../../engine/actions/builtins";
import {
  generateCouponCodes,
  importCouponCodes,
  parseCodePattern,
  storeCouponIssuer,
} from "../../engine/coupons";
import { SqliteStore } from "../../engine/store/sqlite/store";
import { Harness, journey } from "../engine/harness";

const stores: SqliteStore[] = [];
const dirs: string[] = [];
const open = (file = ":memory:") => {
  const s = SqliteStore.open(file);
  stores.push(s);
  return s;
};
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("code patterns", () => {
  it("makes digits for #, letters without I and O for ?, and keeps literals", () => {
    const p = parseCodePattern("WB-####-????");
    expect(p.space).toBe(10 ** 4 * 24 ** 4);
    for (let i = 0; i < 200; i++) expect(p.generate()).toMatch(/^WB-\d{4}-[A-HJ-NP-Z]{4}$/);
    expect(parseCodePattern("A\\#-**").generate()).toMatch(/^A#-[A-Z0-9]{2}$/);
  });
  it("refuses a pattern without a random part, or too small for the pool", async () => {
    expect(() => parseCodePattern("WELCOME")).toThrow(/no random part/);
    await expect(generateCouponCodes(open(), "tiny", "T-#", 5)).rejects.toThrow(/too few/);
  });
});

describe("coupon pools", () => {
  it("imports a list, ignores blanks and duplicates, issues in order, idempotently per key", async () => {
    const store = open();
    const r = await importCouponCodes(store, "spring", ["A1", " A2 ", "", "A2", "A3"]);
    expect(r.added).toBe(3);
    expect(r.pool).toMatchObject({ total: 3, issued: 0, remaining: 3 });
    const first = await store.issueCoupon("spring", "1:a1:1", "c-1", 1);
    expect(first).toEqual({ status: "issued", code: "A1", reused: false });
    // A re-execution after a crash: same key, same code.
    expect(await store.issueCoupon("spring", "1:a1:1", "c-1", 2)).toEqual({
      status: "issued",
      code: "A1",
      reused: true,
    });
    expect(await store.issueCoupon("spring", "2:a1:1", "c-2", 3)).toMatchObject({ code: "A2" });
    // The same key for another customer (a run id reused after a crash lost the first run) is another code.
    expect(await store.issueCoupon("spring", "1:a1:1", "c-9", 4)).toMatchObject({ code: "A3" });
    expect(await store.issueCoupon("spring", "3:a1:1", "c-3", 5)).toEqual({ status: "empty" });
    expect(await store.issueCoupon("nope", "3:a1:1", "c-3", 5)).toEqual({ status: "no_pool" });
    expect(await store.getCouponPool("spring")).toMatchObject({ total: 3, issued: 3, remaining: 0 });
  });

  it("10k concurrent issues from one pool give 10k distinct codes", async () => {
    const store = open();
    const gen = await generateCouponCodes(store, "winback", "WB-####-????", 10_000);
    expect(gen.added).toBe(10_000);
    const issuer = storeCouponIssuer(store);
    const results = await Promise.all(
      Array.from({ length: 10_000 }, (_, i) => issuer.issue("winback", `${i}:a1:1`, `c-${i}`, i)),
    );
    const codes = results.map((r) => (r.status === "issued" ? r.code : null));
    expect(codes.every((c) => c !== null && /^WB-\d{4}-[A-HJ-NP-Z]{4}$/.test(c))).toBe(true);
    expect(new Set(codes).size).toBe(10_000);
    expect(await issuer.issue("winback", "x:a1:1", "c-x", 0)).toEqual({ status: "empty" });
  });

  it("two connections to one database file never issue the same code", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rk-coupons-"));
    dirs.push(dir);
    const a = open(join(dir, "db.sqlite"));
    const b = open(join(dir, "db.sqlite"));
    await generateCouponCodes(a, "two", "TW-######", 2_000);
    const issued = await Promise.all(
      Array.from({ length: 2_000 }, (_, i) => (i % 2 ? a : b).issueCoupon("two", `k${i}`, `c${i}`, i)),
    );
    const codes = issued.map((r) => (r.status === "issued" ? r.code : "none"));
    expect(new Set(codes).size).toBe(2_000);
    expect(codes).not.toContain("none");
  });
});

describe("issue_coupon in a journey", () => {
  const doc = journey(
    [
      ["t1", "trigger", { kind: "event", event: "churn_signal" }],
      ["a1", "action", { action: "issue_coupon", params: { offer: "winback" } }],
      ["a2", "action", { action: "email", template: "winback-coupon" }],
    ],
    [
      ["t1", "a1"],
      ["a1", "a2"],
    ],
  );

  async function harness() {
    const h = await Harness.open({
      registry: defaultRegistry({ coupons: { issuer: { issue: (...a) => h.store.issueCoupon(...a) } } }),
      templates: {
        has: () => true,
        render: (name, input) => ({
          channel: "email",
          subject: name,
          body: `your code ${String(input.vars.couponCode)}`,
        }),
      },
    });
    return h;
  }

  it("puts one pool code per run in the run vars, for the next template", async () => {
    const h = await harness();
    await importCouponCodes(h.store, "winback", ["WB-0001", "WB-0002"]);
    await h.publish(doc, "j");
    await h.identify("c-1", { email: "a@example.com" });
    await h.identify("c-2", { email: "b@example.com" });
    await h.track("c-1", "churn_signal");
    await h.track("c-2", "churn_signal");
    const sent = await h.outbox({ journeyId: "j" });
    expect(sent.map((o) => (o.payload.rendered as { body: string }).body).sort()).toEqual([
      "your code WB-0001",
      "your code WB-0002",
    ]);
    const run = await h.run("j", "c-1");
    expect(run.ctx.vars).toMatchObject({ couponCode: "WB-0001", couponOffer: "winback" });
    await h.close();
  });

  it("fails the step with coupon_pool_empty when the pool is empty: no email goes out", async () => {
    const h = await harness();
    await importCouponCodes(h.store, "winback", ["ONLY-1"]);
    await h.publish(doc, "j");
    await h.identify("c-1", { email: "a@example.com" });
    await h.identify("c-2", { email: "b@example.com" });
    await h.track("c-1", "churn_signal");
    await h.track("c-2", "churn_signal");
    const failed = await h.steps({ customerId: "c-2", nodeId: "a1" });
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ outcome: "failed", reason: "coupon_pool_empty" });
    expect((await h.run("j", "c-2")).outcome).toBe("failed");
    expect(await h.outbox({ customerId: "c-2" })).toHaveLength(0);
    await h.close();
  });

  it("fails with coupon_pool_missing for an offer without a pool, unless derived codes are allowed", async () => {
    const h = await harness();
    await h.publish(doc, "j");
    await h.identify("c-1", { email: "a@example.com" });
    await h.track("c-1", "churn_signal");
    expect((await h.steps({ customerId: "c-1", nodeId: "a1" }))[0]?.reason).toBe("coupon_pool_missing");
    await h.close();
    const d = await Harness.open({
      registry: defaultRegistry({
        coupons: { issuer: { issue: () => Promise.resolve({ status: "no_pool" }) }, missingPool: "derive" },
      }),
    });
    await d.publish(doc, "j");
    await d.identify("c-1", { email: "a@example.com" });
    await d.track("c-1", "churn_signal");
    expect((await d.run("j", "c-1")).ctx.vars?.couponCode).toMatch(/^RK-[0-9A-F]{10}$/);
    await d.close();
  });
});
