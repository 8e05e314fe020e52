import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  destinationPolicy,
  DestinationPolicyError,
  policyLookup,
  webhookDestinationIssues,
} from "./destination-policy";
import { loadChannelConfig, ChannelConfigError } from "./config";
import { pinnedFetch } from "./pinned-fetch";
import { redactResponse } from "./redact";
import type { OutboundMessage } from "./types";
import { createWebhookProvider } from "./webhook";

let hits = 0;
const receiver = createServer((req, res) => {
  hits++;
  req.resume();
  req.on("end", () =>
    res.writeHead(200, { "content-type": "application/json" }).end('{"secret":"s3","ok":1}'),
  );
});
let port = 0;
beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  port = (receiver.address() as AddressInfo).port;
});
afterAll(async () => {
  receiver.closeAllConnections();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

const hook = (url: string): OutboundMessage => ({
  channel: "webhook",
  to: { customerId: "c1" },
  content: { channel: "webhook", body: "", json: { hello: "world" } },
  webhook: { url },
});
const opts = () => ({ idempotencyKey: "r:n:1", signal: new AbortController().signal });

describe("webhook destination policy", () => {
  const policy = destinationPolicy();

  it.each([
    "http://127.0.0.1/",
    "http://127.1/",
    "http://2130706433/",
    "http://0x7f000001/",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://0.0.0.0/",
    "http://10.1.2.3/",
    "http://172.16.0.1/",
    "http://192.168.1.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://100.64.0.1/",
    "http://[fd00::1]/",
    "http://[fe80::1]/",
    "http://localhost:8080/",
    "http://api.localhost/",
    "http://metadata.google.internal/computeMetadata/v1/",
    "http://metadata/",
    "http://intranet/",
    "file:///etc/passwd",
    "gopher://127.0.0.1:25/",
    "javascript:alert(1)",
    "ftp://example.com/",
    "http://user:pw@example.com/",
  ])("refuses %s by default", (url) => {
    expect(policy.checkUrl(url)).toEqual(expect.any(String));
  });

  it.each(["https://hooks.example.com/x", "http://93.184.215.14/", "https://[2606:4700::1111]/"])(
    "allows the public %s",
    (url) => expect(policy.checkUrl(url)).toBeNull(),
  );

  it("allows what REKINDLE_WEBHOOK_ALLOW lists: addresses, CIDR ranges and host names", () => {
    const allow = destinationPolicy("127.0.0.1, 10.0.0.0/8,crm.corp.internal,fd00::/8");
    expect(allow.checkUrl("http://127.0.0.1:9/")).toBeNull();
    expect(allow.checkUrl("http://10.200.0.1/")).toBeNull();
    expect(allow.checkUrl("http://crm.corp.internal/")).toBeNull();
    expect(allow.checkAddress("crm.corp.internal", "192.168.0.5")).toBeNull();
    expect(allow.checkUrl("http://[fd12::1]/")).toBeNull();
    expect(allow.checkUrl("http://127.0.0.2/")).toContain("loopback");
    expect(allow.checkUrl("http://169.254.169.254/")).toContain("linkLocal");
  });

  it("rejects a malformed allow-list at start-up, naming each bad entry", () => {
    expect(() => destinationPolicy("10.0.0.0/33,not a host")).toThrow(DestinationPolicyError);
    expect(() => loadChannelConfig({ REKINDLE_WEBHOOK_ALLOW: "10.0.0.0/8,http://x/" })).toThrow(
      /REKINDLE_WEBHOOK_ALLOW: "http:\/\/x\/" is not a CIDR range/,
    );
    expect(() => loadChannelConfig({ REKINDLE_WEBHOOK_ALLOW: "300.1.1.1/8" })).toThrow(ChannelConfigError);
    expect(loadChannelConfig({ REKINDLE_WEBHOOK_ALLOW: "127.0.0.1" }).webhook.allow).toEqual(["127.0.0.1"]);
  });

  it("a webhook to a refused destination fails without any request; an allowed one is sent", async () => {
    hits = 0;
    for (const url of [
      `http://127.0.0.1:${port}/`,
      `http://localhost:${port}/`,
      "http://169.254.169.254/",
      "file:///etc/passwd",
    ]) {
      const result = await createWebhookProvider().send(hook(url), opts());
      expect(result).toMatchObject({ status: "failed" });
      expect((result as { reason: string }).reason).toMatch(/destination_refused|http\(s\)/);
    }
    expect(hits).toBe(0);
    const allowed = await createWebhookProvider({ destinations: destinationPolicy("127.0.0.1") }).send(
      hook(`http://127.0.0.1:${port}/`),
      opts(),
    );
    expect(allowed).toMatchObject({ status: "sent" });
    expect(hits).toBe(1);
  });

  it("checks the address the connection resolves, so a name that passed earlier cannot rebind to loopback", async () => {
    hits = 0;
    // A policy whose URL check was already passed (as if DNS answered a public address then): the
    // connection's own lookup still refuses the loopback answer it gets now.
    const real = destinationPolicy();
    const rebinding = { ...real, checkUrl: () => null };
    await expect(
      pinnedFetch(rebinding)(`http://localhost:${port}/`, { method: "POST", body: "{}" }),
    ).rejects.toMatchObject({ cause: { code: "EDESTINATIONREFUSED" } });
    expect(hits).toBe(0);
    const lookup = policyLookup(real);
    const err = await new Promise((resolve) => lookup("localhost", { all: true }, (e) => resolve(e)));
    expect(err).toBeInstanceOf(DestinationPolicyError);
  });

  it("finds refused static URLs in a journey for publish, skipping templated ones", () => {
    const doc = {
      nodes: [
        { id: "a", data: { action: "webhook", params: { url: "http://169.254.169.254/" } } },
        { id: "b", data: { action: "webhook", params: { url: "{{customer.traits.hook}}" } } },
        { id: "c", data: { action: "webhook", params: { url: "https://hooks.example.com/" } } },
      ],
    };
    const issues = webhookDestinationIssues(destinationPolicy(), doc);
    expect(issues.map((i) => [i.nodeId, i.path])).toEqual([["a", "nodes[0].data.params.url"]]);
    expect(issues[0]?.message).toContain("linkLocal");
  });

  it("shows viewers a redacted, truncated answer", () => {
    const shown = redactResponse({ token: "abc", nested: { apiKey: "k", ok: "x".repeat(500) } }) as {
      token: string;
      nested: { apiKey: string; ok: string };
    };
    expect(shown.token).toBe("[redacted]");
    expect(shown.nested.apiKey).toBe("[redacted]");
    expect(shown.nested.ok.length).toBeLessThan(260);
    const big = redactResponse(Array.from({ length: 40 }, (_, i) => ({ ["k" + i]: "y".repeat(150) })));
    expect(big).toMatchObject({ truncated: true });
    expect(JSON.stringify(big).length).toBeLessThan(2_200);
  });
});
