/* eslint-disable @typescript-eslint/no-unsafe-member-access -- HTTP response bodies are untyped JSON */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request, simpleJourney, snapshot, testServer, type TestServer } from "../server/helpers";

let s: TestServer;
beforeAll(async () => {
  s = await testServer();
});
afterAll(() => s.close());

function webhookJourney(url: string) {
  const doc = simpleJourney({ name: `hook ${url}` });
  doc.nodes[2]!.data = { action: "webhook", params: { url } };
  return doc;
}

describe("webhook destinations at publish", () => {
  it.each([
    "http://169.254.169.254/latest/meta-data/iam/",
    "http://127.0.0.1:3000/api/users",
    "http://metadata.google.internal/computeMetadata/v1/",
    "http://10.0.0.5/",
  ])("refuses to publish a webhook to %s (409 naming the field, nothing live)", async (url) => {
    const auth = { authorization: `Bearer ${s.token("marketer")}` };
    const created = await request(s.app)
      .post("/api/journeys")
      .set(auth)
      .send({ doc: webhookJourney(url) });
    expect(created.status).toBe(201);
    const v = await request(s.app).post(`/api/journeys/${created.body.id}/validate`).set(auth).send({});
    expect(v.body.ok).toBe(false);
    const before = snapshot(s.ctx);
    const pub = await request(s.app).post(`/api/journeys/${created.body.id}/publish`).set(auth);
    expect(pub.status).toBe(409);
    expect(pub.body.error.issues).toContainEqual(
      expect.objectContaining({ nodeId: "a1", path: "nodes[2].data.params.url" }),
    );
    expect(snapshot(s.ctx)).toEqual(before);
  });

  it("publishes a webhook to a public host", async () => {
    const auth = { authorization: `Bearer ${s.token("marketer")}` };
    const created = await request(s.app)
      .post("/api/journeys")
      .set(auth)
      .send({ doc: webhookJourney("https://hooks.example.com/rekindle") });
    const pub = await request(s.app).post(`/api/journeys/${created.body.id}/publish`).set(auth);
    expect(pub.status).toBe(201);
  });
});
