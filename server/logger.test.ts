import { PassThrough } from "node:stream";
import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import { testServer } from "../test/server/helpers";
import type { TestServer } from "../test/server/helpers";
import { createLogger, logFormat } from "./logger";

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (b: Buffer) => (text += b.toString()));
  return { stream, text: () => text };
}

let s: TestServer | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

describe("server logs", () => {
  it("are human-readable on a terminal and JSON when piped, unless LOG_FORMAT says", () => {
    expect(logFormat({}, true)).toBe("pretty");
    expect(logFormat({}, false)).toBe("json");
    expect(logFormat({ LOG_FORMAT: "json" }, true)).toBe("json");
    expect(logFormat({ LOG_FORMAT: "Pretty" }, false)).toBe("pretty");
  });

  it("write a readable line, not a JSON object, in the pretty format", () => {
    const out = capture();
    createLogger("info", { format: "pretty", destination: out.stream }).info({ customers: 5 }, "demo loaded");
    const line = out.text().trim();
    expect(line.startsWith("{")).toBe(false);
    expect(line).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: demo loaded \{"customers":5\}$/);
  });

  it("write one JSON object per line when piped", () => {
    const out = capture();
    createLogger("info", { format: "json", destination: out.stream }).info({ customers: 5 }, "demo loaded");
    expect(JSON.parse(out.text())).toMatchObject({ level: 30, msg: "demo loaded", customers: 5 });
  });

  it("log each API request at debug: silent at the default level", async () => {
    for (const level of ["info", "debug"] as const) {
      const out = capture();
      s = await testServer({ log: createLogger(level, { format: "json", destination: out.stream }) });
      expect(
        (
          await request(s.app)
            .get("/api/me")
            .set("Authorization", `Bearer ${s.token("viewer")}`)
        ).status,
      ).toBe(200);
      const requests = out
        .text()
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { msg: string; route?: string })
        .filter((l) => l.msg === "request");
      expect(requests.length, level).toBe(level === "info" ? 0 : 1);
      await s.close();
      s = undefined;
    }
  });
});
