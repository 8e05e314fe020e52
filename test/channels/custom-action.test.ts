import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { channelDeliver } from "../../engine/actions/builtins";
import { loadActionRegistry, pluginSpecs, PluginLoadError } from "../../engine/actions/load-plugins";
import { createChannelProviders, loadChannelConfig } from "../../engine/channels";
import { JourneyValidationError } from "../../engine/runtime/engine";
import { Harness, journey } from "../engine/harness";
import { json, startSink } from "./sink";

const EXAMPLE = resolve(import.meta.dirname, "../../examples/actions/loyalty-points.ts");
const dirs: string[] = [];
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "rk-plugins-"));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
let sink: Awaited<ReturnType<typeof startSink>>;
beforeAll(async () => {
  sink = await startSink(json(200, { balance: 900 }));
});
afterAll(async () => {
  await sink.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("custom action nodes through rekindle.config.json", () => {
  it("a listed module's action validates its config and runs in a journey with the idempotency key", async () => {
    const cwd = project({ "rekindle.config.json": JSON.stringify({ actions: [EXAMPLE] }) });
    const providers = createChannelProviders(loadChannelConfig({}));
    const registry = await loadActionRegistry({ cwd, env: {}, deps: { deliver: channelDeliver(providers) } });
    expect(registry.get("acme/loyalty-points")?.version).toBe(1);
    const entry = registry.catalog().find((c) => c.type === "acme/loyalty-points");
    expect(entry).toMatchObject({
      ports: ["next", "failed", "tier_up"],
      title: { en: "Grant loyalty points" },
    });
    expect(JSON.stringify(entry?.config)).toContain('"points"');
    expect(registry.get("email")).toBeDefined();

    const h = await Harness.open({ registry });
    const doc = (params: Record<string, unknown>) =>
      journey(
        [
          ["t1", "trigger", { kind: "event", event: "order_completed" }],
          ["a1", "action", { action: "acme/loyalty-points", params }],
          ["x1", "exit", {}],
        ],
        [
          ["t1", "a1"],
          ["a1", "x1", "tier_up"],
        ],
      );
    // Its zod schema is the publish check.
    const refused = await h.publish(doc({ url: sink.url, points: -5 }), "bad").catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(JourneyValidationError);
    expect((refused as JourneyValidationError).issues[0]).toMatchObject({ nodeId: "a1" });

    await h.publish(doc({ url: `${sink.url}/grant`, points: 150 }), "j");
    await h.identify("c-7", { email: "c7@example.com" });
    sink.seen.length = 0;
    await h.track("c-7", "order_completed", { revenue: 50 });
    const [row] = await h.outbox({ customerId: "c-7" });
    expect(row).toMatchObject({ action: "acme/loyalty-points", status: "sent" });
    expect(row!.idempotencyKey).toMatch(/:a1:1$/);
    expect(sink.seen).toHaveLength(1);
    expect(sink.seen[0]!.headers["idempotency-key"]).toBe(row!.idempotencyKey);
    expect(JSON.parse(sink.seen[0]!.body)).toMatchObject({ customerId: "c-7", points: 150, journeyId: "j" });
    expect((await h.store.getCustomers(["c-7"])).get("c-7")?.traits.loyaltyPoints).toBe(900);
    expect((await h.run("j", "c-7")).outcome).toBe("completed");
    await h.close();
  });

  it("REKINDLE_ACTIONS adds modules too, relative to the working directory", async () => {
    const cwd = project({});
    const specs = pluginSpecs({ cwd, env: { REKINDLE_ACTIONS: ` ${EXAMPLE} , ./more.ts` } });
    expect(specs.map((s) => s.specifier)).toEqual([EXAMPLE, "./more.ts"]);
    const registry = await loadActionRegistry({ cwd, env: { REKINDLE_ACTIONS: EXAMPLE } });
    expect(registry.get("acme/loyalty-points")).toBeDefined();
  });

  it("a duplicate type and version fails at start-up, naming both modules", async () => {
    const cwd = project({
      "copy.mjs": `export { default } from ${JSON.stringify(EXAMPLE)};`,
      "rekindle.config.json": JSON.stringify({ actions: [EXAMPLE, "./copy.mjs"] }),
    });
    const err = await loadActionRegistry({ cwd, env: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PluginLoadError);
    expect((err as Error).message).toMatch(
      /"acme\/loyalty-points" version 1 from "\.\/copy\.mjs" is already registered by ".*loyalty-points\.ts"/,
    );
  });

  it("shadowing a built-in fails too", async () => {
    const cwd = project({
      "email.mjs": `import { z } from "zod";
export default { type: "email", version: 1, title: { en: "Mine", zh: "我的" }, config: z.object({}), effect: "external", execute: async () => ({ status: "done" }) };`,
      "rekindle.config.json": JSON.stringify({ actions: ["./email.mjs"] }),
    });
    await expect(loadActionRegistry({ cwd, env: {} })).rejects.toThrow(
      /already registered by a built-in action/,
    );
  });

  it("a module that does not export a valid action fails with what is wrong", async () => {
    const cwd = project({
      "bad.mjs": `export default [{ type: "Acme Points", version: 0, title: "Points", config: {}, effect: "remote" }];`,
      "rekindle.config.json": JSON.stringify({ actions: ["./bad.mjs"] }),
    });
    const err = (await loadActionRegistry({ cwd, env: {} }).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(PluginLoadError);
    for (const part of [
      '"type"',
      '"version"',
      '"title"',
      '"config" must be a zod schema',
      '"effect"',
      '"execute"',
    ])
      expect(err.message).toContain(part);
    const missing = project({ "rekindle.config.json": JSON.stringify({ actions: ["./nope.ts"] }) });
    await expect(loadActionRegistry({ cwd: missing, env: {} })).rejects.toThrow(
      /cannot load action module "\.\/nope\.ts"/,
    );
    const noDefault = project({
      "x.mjs": "export const a = 1;",
      "rekindle.config.json": '{"actions":["./x.mjs"]}',
    });
    await expect(loadActionRegistry({ cwd: noDefault, env: {} })).rejects.toThrow(/no default export/);
  });
});
