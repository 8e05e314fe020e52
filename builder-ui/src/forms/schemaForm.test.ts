import { describe, expect, it } from "vitest";
import { z } from "zod";
import { coerce, defaultsFor, fieldProblem, fieldsFromSchema, keyProblem, setIn } from "./schemaForm";

const jsonSchema = (s: z.ZodType): unknown => z.toJSONSchema(s, { unrepresentable: "any" });

describe("JSON Schema form generation", () => {
  it("maps primitive types, requiredness, defaults and limits", () => {
    const fields = fieldsFromSchema(
      jsonSchema(
        z.object({
          offer: z.string().min(1).describe("Offer code"),
          prefix: z.string().max(12).default("RK"),
          amount: z.number().min(0).max(100),
          count: z.int().optional(),
          enabled: z.boolean().default(true),
          channel: z.enum(["email", "sms"]),
          url: z.url(),
        }),
      ),
    );
    const by = Object.fromEntries(fields.map((f) => [f.key, f]));
    expect(fields.map((f) => f.key)).toEqual([
      "offer",
      "prefix",
      "amount",
      "count",
      "enabled",
      "channel",
      "url",
    ]);
    expect(by.offer).toMatchObject({
      kind: "string",
      required: true,
      minLength: 1,
      description: "Offer code",
    });
    expect(by.prefix).toMatchObject({ kind: "string", default: "RK", maxLength: 12 });
    expect(by.amount).toMatchObject({ kind: "number", minimum: 0, maximum: 100, required: true });
    expect(by.count).toMatchObject({ kind: "integer", required: false });
    expect(by.enabled).toMatchObject({ kind: "boolean", default: true });
    expect(by.channel).toMatchObject({ kind: "enum", options: ["email", "sms"] });
    expect(by.url).toMatchObject({ kind: "string", format: "uri" });
    expect(defaultsFor(fields)).toEqual({ prefix: "RK", enabled: true });
  });

  it("handles nested objects, arrays, nullable unions, refs and free-form records", () => {
    const fields = fieldsFromSchema({
      type: "object",
      $defs: {
        money: {
          type: "object",
          properties: { amount: { type: "number" }, currency: { type: "string" } },
          required: ["amount"],
        },
      },
      properties: {
        price: { $ref: "#/$defs/money" },
        tags: { type: "array", items: { type: "string" } },
        note: { anyOf: [{ type: "string" }, { type: "null" }] },
        level: { oneOf: [{ const: "gold" }, { const: "silver" }] },
        traits: { type: "object", additionalProperties: { type: "string" } },
        weird: {},
      },
      required: ["price"],
    });
    const by = Object.fromEntries(fields.map((f) => [f.key, f]));
    expect(by.price!.kind).toBe("object");
    expect(by.price!.children!.map((c) => [c.key, c.kind, c.required])).toEqual([
      ["amount", "number", true],
      ["currency", "string", false],
    ]);
    expect(by.price!.children![0]!.path).toEqual(["price", "amount"]);
    expect(by.tags).toMatchObject({ kind: "array", items: { kind: "string" } });
    expect(by.note!.kind).toBe("string");
    expect(by.level).toMatchObject({ kind: "enum", options: ["gold", "silver"] });
    expect(by.traits).toMatchObject({ kind: "record", values: { kind: "string" } });
    expect(by.weird!.kind).toBe("json");
    expect(defaultsFor(fields)).toEqual({ price: {} });
  });

  it("renders the built-in actions' real configs", async () => {
    const { builtinActions } = (await import("../../../engine/actions/builtins")) as {
      builtinActions?: () => { type: string; config: z.ZodType }[];
    };
    const defs = typeof builtinActions === "function" ? builtinActions() : [];
    for (const d of defs) expect(() => fieldsFromSchema(jsonSchema(d.config))).not.toThrow();
    const coupon = defs.find((d) => d.type === "issue_coupon");
    if (coupon) {
      const f = fieldsFromSchema(jsonSchema(coupon.config));
      expect(f.map((x) => x.key)).toContain("offer");
    }
  });

  it("coerces input text and checks values", () => {
    const [num, int, str, en, js] = fieldsFromSchema(
      jsonSchema(
        z.object({
          n: z.number().min(1),
          i: z.int(),
          s: z.string().regex(/^[A-Z]+$/),
          e: z.enum(["a", "b"]),
          j: z.record(z.string(), z.array(z.string())),
        }),
      ),
    );
    expect(coerce(num!, "2.5")).toBe(2.5);
    expect(coerce(num!, "")).toBeUndefined();
    expect(coerce(en!, "b")).toBe("b");
    expect(js!.kind).toBe("json");
    expect(coerce(js!, '{"a":["b"]}')).toEqual({ a: ["b"] });
    expect(fieldProblem(num!, undefined)).toEqual({ code: "required" });
    expect(fieldProblem(num!, 0)).toEqual({ code: "min", limit: 1 });
    expect(fieldProblem(int!, 1.5)).toEqual({ code: "notInteger" });
    expect(fieldProblem(str!, "abc")?.code).toBe("pattern");
    expect(fieldProblem(str!, "ABC")).toBeNull();
    expect(setIn({ a: { b: 1 } }, ["a", "c"], 2)).toEqual({ a: { b: 1, c: 2 } });
    expect(setIn({ a: 1 }, ["a"], undefined)).toEqual({});
  });

  it("edits free-form maps as key/value rows, with the key pattern and value checks of the schema", async () => {
    const { defaultRegistry } = await import("../../../engine/actions/builtins");
    const reg = defaultRegistry();
    const fieldsOf = (type: string) =>
      Object.fromEntries(fieldsFromSchema(jsonSchema(reg.get(type)!.config)).map((f) => [f.key, f]));

    const { traits } = fieldsOf("set_trait");
    expect(traits).toMatchObject({ kind: "record", required: true, values: { kind: "scalar" } });
    expect(fieldProblem(traits!, {})).toEqual({ code: "required" });
    expect(fieldProblem(traits!, { tier: "gold", score: 5, vip: true, note: null })).toBeNull();

    const { mapResponse, headers } = fieldsOf("webhook");
    expect(mapResponse).toMatchObject({ kind: "record", required: false, values: { kind: "string" } });
    expect(mapResponse!.keyPattern).toBe("^[A-Za-z_][A-Za-z0-9_]{0,63}$");
    expect(keyProblem(mapResponse!, "couponCode")).toBeNull();
    expect(keyProblem(mapResponse!, "coupon-code")).toMatchObject({ code: "badKey", key: "coupon-code" });
    expect(fieldProblem(mapResponse!, { couponCode: "$.data.code" })).toBeNull();
    expect(fieldProblem(mapResponse!, { couponCode: "data code" })?.code).toBe("pattern");
    expect(fieldProblem(mapResponse!, { "1x": "$.a" })?.code).toBe("badKey");
    expect(headers).toMatchObject({ kind: "record", values: { kind: "string" } });
    expect(headers!.keyPattern).toBeUndefined();
  });

  it("reads a union of scalar types as one scalar field, and a nullable single type as that type", () => {
    const [any, maybe] = fieldsFromSchema(
      jsonSchema(
        z.object({ v: z.union([z.string(), z.number(), z.boolean(), z.null()]), n: z.number().nullable() }),
      ),
    );
    expect(any!.kind).toBe("scalar");
    expect(maybe!.kind).toBe("number");
  });
});
