import express from "express";
import request from "supertest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSurveyToken } from "../../engine/customer/survey";
import type { CustomerProfile } from "../../engine/customer/types";
import { Harness, HOUR, T0 } from "../../test/engine/harness";
import { surveyRouter } from "./survey";

const SECRET = "survey-secret-for-the-tests-000";
let h: Harness;
let app: express.Express;
beforeEach(async () => {
  h = await Harness.open();
  app = express();
  app.use("/s", surveyRouter({ engine: h.engine, secret: SECRET, brand: "Acme" }));
});
afterEach(async () => {
  await h.close();
});

const token = (over: Partial<Parameters<typeof createSurveyToken>[1]> = {}) =>
  createSurveyToken(SECRET, { customerId: "c1", kind: "csat", journeyId: "J1", ...over });

describe("survey page", () => {
  it("serves the one-question page in English and Chinese", async () => {
    const en = await request(app).get(`/s/${token()}`).expect(200);
    expect(en.headers["content-type"]).toMatch(/text\/html/);
    expect(en.headers["cache-control"]).toBe("no-store");
    expect(en.headers["content-security-policy"]).toMatch(/default-src 'none'/);
    expect(en.text).toContain("How satisfied are you with Acme?");
    expect(en.text.match(/type="radio"/g)).toHaveLength(5);
    const zh = await request(app)
      .get(`/s/${token({ kind: "nps" })}?lang=zh`)
      .expect(200);
    expect(zh.text).toContain('lang="zh-CN"');
    expect(zh.text).toContain("您有多大可能向朋友或同事推荐Acme？");
    expect(zh.text.match(/type="radio"/g)).toHaveLength(11);
    const byHeader = await request(app)
      .get(`/s/${token()}`)
      .set("Accept-Language", "zh-CN,zh;q=0.9")
      .expect(200);
    expect(byHeader.text).toContain("您对Acme的满意度如何？");
    const byToken = await request(app)
      .get(`/s/${token({ lang: "zh" })}`)
      .expect(200);
    expect(byToken.text).toContain("满意度");
    const preselected = await request(app).get(`/s/${token()}?score=4`).expect(200);
    expect(preselected.text).toContain('value="4" required checked');
  });

  it("refuses bad and expired links", async () => {
    const bad = await request(app).get(`/s/${token()}x`).expect(404);
    expect(bad.text).toContain("This survey link is not valid.");
    const expired = await request(app)
      .get(`/s/${token({ expiresAt: T0 - HOUR })}?lang=zh`)
      .expect(410);
    expect(expired.text).toContain("此调查已结束。");
    await request(app).post(`/s/nope`).type("form").send({ score: "3" }).expect(404);
    await request(app).post(`/s/nope`).send({ score: 3 }).expect(404, { error: "invalid_token" });
  });
});

describe("survey answers", () => {
  it("records a form answer as a survey_response event, once per link", async () => {
    const t = token();
    const res = await request(app)
      .post(`/s/${t}`)
      .type("form")
      .send({ score: "2", comment: "late delivery <b>", lang: "en" })
      .expect(200);
    expect(res.text).toContain("Thank you! Your answer has been recorded.");
    const all = await h.store.listEvents("c1", 10);
    const e = all.find((x) => x.name === "survey_response");
    expect(e).toMatchObject({
      name: "survey_response",
      properties: { scale: "csat", score: 2, comment: "late delivery <b>", journeyId: "J1" },
    });
    const state = (await h.store.getCustomers(["c1"])).get("c1")!.state as unknown as CustomerProfile;
    expect(state.satisfaction).toMatchObject({ score: 2, scale: "csat" });
    // CSAT 2 is low: the answer also raised a churn signal.
    expect(all.find((x) => x.name === "churn_signal")?.properties.reason).toBe("low_satisfaction");
    const again = await request(app).post(`/s/${t}`).type("form").send({ score: "5" }).expect(200);
    expect(again.text).toContain("we already have your answer");
    expect((await h.store.listEvents("c1", 10)).filter((x) => x.name === "survey_response")).toHaveLength(1);
  });

  it("answers JSON to JSON, and refuses scores off the scale", async () => {
    const t = token({ kind: "nps" });
    await request(app)
      .post(`/s/${t}`)
      .send({ score: 11 })
      .expect(400)
      .expect((r) => expect((r.body as { error: string }).error).toBe("bad_answer"));
    const form = await request(app).post(`/s/${t}`).type("form").send({ lang: "zh" }).expect(400);
    expect(form.text).toContain("请选择一个分数。");
    await request(app).post(`/s/${t}`).send({ score: 0 }).expect(201, { status: "accepted" });
    await request(app).post(`/s/${t}`).send({ score: 10 }).expect(200, { status: "duplicate" });
  });
});
