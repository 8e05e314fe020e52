// Over 300 lines: one pure mapping from JSON Schema to field specs, with its value checks, tested as one unit.
/**
 * JSON Schema (as the server's node-type catalog serves it, from zod's `toJSONSchema`) → a list of field
 * descriptions the generic form renders. One generator for every action, built-in or custom; no
 * hand-written form per action.
 */

export type FieldKind =
  | "string"
  | "text"
  | "number"
  | "integer"
  | "boolean"
  | "enum"
  | "object"
  | "array"
  /** A free-form map (`additionalProperties` only): edited as key/value rows. */
  | "record"
  /** One of text, number, true/false or empty (a union of scalar types). */
  | "scalar"
  | "json";

export interface FieldSpec {
  key: string;
  path: string[];
  kind: FieldKind;
  label: string;
  description?: string;
  required: boolean;
  default?: unknown;
  options?: unknown[];
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  /** For objects: their properties. */
  children?: FieldSpec[];
  /** For arrays: the shape of one item. */
  items?: FieldSpec;
  /** For records: the shape of each value, and the pattern keys must match. */
  values?: FieldSpec;
  keyPattern?: string;
}

const SCALAR_TYPES = new Set(["string", "number", "integer", "boolean"]);

type Schema = Record<string, unknown>;
const isObject = (v: unknown): v is Schema => v !== null && typeof v === "object" && !Array.isArray(v);

/** Resolves local `$ref`s (`#/$defs/x`, `#/definitions/x`) against the root schema. */
function deref(schema: unknown, root: Schema, depth = 0): Schema {
  if (!isObject(schema)) return {};
  const ref = schema.$ref;
  if (typeof ref === "string" && ref.startsWith("#/") && depth < 20) {
    let cur: unknown = root;
    for (const part of ref.slice(2).split("/"))
      cur = isObject(cur) ? cur[part.replace(/~1/g, "/").replace(/~0/g, "~")] : undefined;
    const { $ref: _ignored, ...rest } = schema;
    return { ...deref(cur, root, depth + 1), ...rest };
  }
  return schema;
}

/** Drops `null` from unions so an optional-or-null field is edited as its real type. */
function unNull(schema: Schema, root: Schema): Schema {
  for (const key of ["anyOf", "oneOf"] as const) {
    const list = schema[key];
    if (!Array.isArray(list)) continue;
    const parts = list.map((s) => deref(s, root));
    const nonNull = parts.filter((s) => s.type !== "null");
    const consts = nonNull.filter((s) => "const" in s);
    if (consts.length === nonNull.length && consts.length > 0) {
      return { ...schema, [key]: undefined, enum: consts.map((s) => s.const) };
    }
    if (nonNull.length === 1) {
      const { [key]: _drop, ...rest } = schema;
      return { ...deref(nonNull[0], root), ...rest };
    }
  }
  if (Array.isArray(schema.type)) {
    const types = (schema.type as unknown[]).filter((t) => t !== "null");
    if (types.length === 1) return { ...schema, type: types[0] };
  }
  return schema;
}

export function humanize(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function fieldFromSchema(
  key: string,
  raw: unknown,
  required: boolean,
  path: string[],
  root: Schema,
  depth = 0,
): FieldSpec {
  const schema = unNull(deref(raw, root), root);
  const base: FieldSpec = {
    key,
    path,
    kind: "json",
    label: typeof schema.title === "string" ? schema.title : humanize(key),
    required,
  };
  if (typeof schema.description === "string") base.description = schema.description;
  if ("default" in schema) base.default = schema.default;
  if (Array.isArray(schema.enum)) return { ...base, kind: "enum", options: schema.enum };
  if ("const" in schema) return { ...base, kind: "enum", options: [schema.const] };
  const type = schema.type;
  if (Array.isArray(type)) {
    const kinds = type.filter((t) => t !== "null");
    if (kinds.length > 1 && kinds.every((t) => typeof t === "string" && SCALAR_TYPES.has(t)))
      return { ...base, kind: "scalar" };
  }
  switch (type) {
    case "string": {
      const f: FieldSpec = { ...base, kind: "string" };
      if (typeof schema.format === "string") f.format = schema.format;
      if (typeof schema.minLength === "number") f.minLength = schema.minLength;
      if (typeof schema.maxLength === "number") f.maxLength = schema.maxLength;
      if (typeof schema.pattern === "string") f.pattern = schema.pattern;
      if (
        typeof schema.maxLength === "number"
          ? schema.maxLength > 200
          : /body|text|message|template|json/i.test(key)
      )
        f.kind = "text";
      return f;
    }
    case "number":
    case "integer": {
      const f: FieldSpec = { ...base, kind: type };
      const min = schema.minimum ?? schema.exclusiveMinimum;
      const max = schema.maximum ?? schema.exclusiveMaximum;
      if (typeof min === "number") f.minimum = min;
      if (typeof max === "number") f.maximum = max;
      return f;
    }
    case "boolean":
      return { ...base, kind: "boolean" };
    case "object": {
      if (depth > 6) return base;
      if (!isObject(schema.properties) || Object.keys(schema.properties).length === 0) {
        if (!isObject(schema.additionalProperties)) return base;
        const values = fieldFromSchema(
          "value",
          schema.additionalProperties,
          true,
          [...path, "*"],
          root,
          depth + 1,
        );
        // Nested maps and lists stay JSON: rows of rows would not help anyone.
        if (!["string", "text", "number", "integer", "boolean", "enum", "scalar"].includes(values.kind))
          return base;
        const f: FieldSpec = { ...base, kind: "record", values };
        const names = deref(schema.propertyNames, root);
        if (typeof names.pattern === "string") f.keyPattern = names.pattern;
        return f;
      }
      const req = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
      return {
        ...base,
        kind: "object",
        children: Object.entries(schema.properties).map(([k, s]) =>
          fieldFromSchema(k, s, req.has(k), [...path, k], root, depth + 1),
        ),
      };
    }
    case "array": {
      if (!isObject(schema.items) || depth > 6) return base;
      const items = fieldFromSchema("item", schema.items, true, [...path, "*"], root, depth + 1);
      if (items.kind === "json" || items.kind === "array") return base;
      return { ...base, kind: "array", items };
    }
    default:
      return base;
  }
}

/** The fields of an object schema (an action's `config`). */
export function fieldsFromSchema(schema: unknown): FieldSpec[] {
  const root = isObject(schema) ? schema : {};
  const f = fieldFromSchema("", root, true, [], root);
  return f.kind === "object" ? (f.children ?? []) : [];
}

/** Initial params for a new node: each field's default, recursively. */
export function defaultsFor(fields: readonly FieldSpec[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if (f.default !== undefined) out[f.key] = structuredClone(f.default);
    else if (f.kind === "object" && f.required && f.children) out[f.key] = defaultsFor(f.children);
  }
  return out;
}

/** Turns what an input holds into the value the schema wants; `undefined` clears the field. */
export function coerce(field: FieldSpec, input: string | boolean): unknown {
  if (field.kind === "boolean") return Boolean(input);
  const text = String(input);
  if (text === "" && field.kind !== "enum") return undefined;
  switch (field.kind) {
    case "number":
    case "integer": {
      const n = Number(text);
      return Number.isFinite(n) ? n : text;
    }
    case "enum": {
      if (text === "") return undefined;
      const match = (field.options ?? []).find((o) => String(o) === text);
      return match === undefined ? text : match;
    }
    case "json":
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return text;
      }
    case "string":
    case "text":
    case "object":
    case "array":
    case "record":
    case "scalar":
      return text;
  }
}

export type FieldProblem =
  | { code: "required" }
  | { code: "notNumber" }
  | { code: "notInteger" }
  | { code: "min"; limit: number }
  | { code: "max"; limit: number }
  | { code: "pattern"; pattern: string }
  | { code: "format"; format: string }
  | { code: "badJson" }
  | { code: "badKey"; key: string; pattern: string }
  | { code: "duplicateKey"; key: string };

/** A quick client-side check of one value; the server's validation stays the authority. */
export function fieldProblem(field: FieldSpec, value: unknown): FieldProblem | null {
  if (value === undefined || value === "") return field.required ? { code: "required" } : null;
  switch (field.kind) {
    case "record": {
      if (!isObject(value)) return null;
      const entries = Object.entries(value);
      if (entries.length === 0) return field.required ? { code: "required" } : null;
      for (const [k, v] of entries) {
        const bad = keyProblem(field, k);
        if (bad) return bad;
        const inner = field.values ? fieldProblem(field.values, v) : null;
        if (inner) return inner;
      }
      return null;
    }
    case "scalar":
      return null;
    case "number":
    case "integer":
      if (typeof value !== "number") return { code: "notNumber" };
      if (field.kind === "integer" && !Number.isInteger(value)) return { code: "notInteger" };
      if (field.minimum !== undefined && value < field.minimum) return { code: "min", limit: field.minimum };
      if (field.maximum !== undefined && value > field.maximum) return { code: "max", limit: field.maximum };
      return null;
    case "string":
    case "text":
      if (typeof value !== "string") return null;
      if (field.minLength !== undefined && value.length < field.minLength)
        return { code: "min", limit: field.minLength };
      if (field.maxLength !== undefined && value.length > field.maxLength)
        return { code: "max", limit: field.maxLength };
      if (field.pattern !== undefined) {
        try {
          if (!new RegExp(field.pattern).test(value)) return { code: "pattern", pattern: field.pattern };
        } catch {
          return null;
        }
      }
      if (field.format === "uri" && !/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(value))
        return { code: "format", format: "uri" };
      if (field.format === "email" && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value))
        return { code: "format", format: "email" };
      return null;
    case "json":
      return typeof value === "string" && field.required ? { code: "badJson" } : null;
    case "boolean":
    case "enum":
    case "object":
    case "array":
      return null;
  }
}

/** Whether a record's key is acceptable (the schema's `propertyNames` pattern). */
export function keyProblem(field: FieldSpec, key: string): FieldProblem | null {
  if (field.keyPattern === undefined) return null;
  try {
    return new RegExp(field.keyPattern).test(key) ? null : { code: "badKey", key, pattern: field.keyPattern };
  } catch {
    return null;
  }
}

/** An immutable set: a copy of `obj` with `value` at `path` (undefined removes the key). */
export function setIn(
  obj: Record<string, unknown>,
  path: readonly string[],
  value: unknown,
): Record<string, unknown> {
  const [head, ...rest] = path;
  if (head === undefined) return obj;
  const out: Record<string, unknown> = { ...obj };
  if (rest.length === 0) {
    if (value === undefined) delete out[head];
    else out[head] = value;
    return out;
  }
  const child = isObject(out[head]) ? out[head] : {};
  out[head] = setIn(child, rest, value);
  return out;
}
