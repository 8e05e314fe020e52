/**
 * The condition builder's field picker, derived from the contract's facts catalog (engine/schema/facts.ts;
 * spec §1 "Facts available to conditions"), each with a type that decides which operators fit.
 */
import type { LeafCondition, NestedCondition, Operator, TopLevelCondition } from "../../../engine/schema";
import type { FactEntry, LocalizedText } from "../../../engine/schema";
import type { Lang } from "../i18n/translate";
import { humanize } from "../forms/schemaForm";
import { str } from "../ui/str";

export type ValueType = "number" | "string" | "enum" | "boolean" | "datetime" | "list" | "any";

export interface FactOption {
  /** Stable key for the picker: `customer:$.churnRisk`, `eventCount`, `traits:*`. */
  id: string;
  fact: LeafCondition["fact"];
  path?: string;
  type: ValueType;
  unit?: string;
  enum?: readonly string[];
  label: LocalizedText;
  description?: LocalizedText;
  /** The user completes the path (a trait name, an event property). */
  custom?: "traits" | "event";
}

export function valueTypeOf(t: string | undefined, hasEnum: boolean): ValueType {
  if (hasEnum) return "enum";
  switch (t) {
    case "number":
    case "integer":
      return "number";
    case "string":
      return "string";
    case "boolean":
      return "boolean";
    case "datetime":
      return "datetime";
    case "string[]":
    case "array":
      return "list";
    case undefined:
    default:
      return "any";
  }
}

const zhLabel = (desc: string): string => desc.split(/[（(，,；;：:]/)[0]!.trim() || desc;

function labelFromPath(path: string): string {
  const parts = path.replace(/^\$\./, "").split(".");
  const last = parts[parts.length - 1] ?? path;
  const lead = parts.length > 1 && parts[0] === "rfm" ? "RFM " : "";
  const h = humanize(last);
  return lead + (lead ? h.charAt(0).toLowerCase() + h.slice(1) : h);
}

/**
 * The picker's options: one per entry of the contract's facts catalog (engine/schema/facts.ts, also what
 * the server's facts route serves), none of the builder's own. Object-valued fields are not condition values and are left out.
 */
export function factOptions(catalog: readonly FactEntry[]): FactOption[] {
  const out: FactOption[] = [];
  const seen = new Set<string>();
  for (const f of catalog) {
    if (f.type === "object") continue;
    const id = f.custom ? `${f.fact}:*` : f.path ? `${f.fact}:${f.path}` : f.fact;
    if (seen.has(id)) continue;
    seen.add(id);
    const opt: FactOption = {
      id,
      fact: f.fact,
      type: valueTypeOf(f.type, Array.isArray(f.enum) && f.enum.length > 0),
      label: f.label ?? {
        en: f.path ? labelFromPath(f.path) : humanize(f.fact),
        zh: zhLabel(f.description.zh),
      },
      description: f.description,
    };
    if (f.custom) opt.custom = f.custom;
    else if (f.path) opt.path = f.path;
    if (f.unit) opt.unit = f.unit;
    if (f.enum) opt.enum = f.enum;
    out.push(opt);
  }
  return out;
}

/** The picker entry a leaf condition uses. */
export function optionFor(leaf: LeafCondition, options: readonly FactOption[]): FactOption | undefined {
  if (leaf.fact === "eventCount") return options.find((o) => o.fact === "eventCount");
  const exact = options.find((o) => o.fact === leaf.fact && o.path === leaf.path);
  if (exact) return exact;
  if (leaf.fact === "customer" && leaf.path?.startsWith("$.traits."))
    return options.find((o) => o.custom === "traits");
  if (leaf.fact === "traits") return options.find((o) => o.custom === "traits");
  if (leaf.fact === "event") return options.find((o) => o.custom === "event");
  return undefined;
}

const BY_TYPE: Record<ValueType, readonly Operator[]> = {
  number: [
    "equal",
    "notEqual",
    "greaterThan",
    "greaterThanInclusive",
    "lessThan",
    "lessThanInclusive",
    "in",
    "notIn",
  ],
  enum: ["equal", "notEqual", "in", "notIn"],
  string: ["equal", "notEqual", "in", "notIn", "contains", "doesNotContain"],
  boolean: ["equal", "notEqual"],
  datetime: ["lessThan", "lessThanInclusive", "greaterThan", "greaterThanInclusive", "equal", "notEqual"],
  list: ["contains", "doesNotContain"],
  any: [
    "equal",
    "notEqual",
    "greaterThan",
    "greaterThanInclusive",
    "lessThan",
    "lessThanInclusive",
    "in",
    "notIn",
    "contains",
    "doesNotContain",
  ],
};

/** Operators that make sense for a value type (json-rules-engine built-ins only). */
export function operatorsFor(type: ValueType): readonly Operator[] {
  return BY_TYPE[type];
}

export const OPERATOR_SYMBOL: Partial<Record<Operator, string>> = {
  equal: "=",
  notEqual: "≠",
  lessThan: "<",
  lessThanInclusive: "≤",
  greaterThan: ">",
  greaterThanInclusive: "≥",
};

/** A new leaf for a picked fact, keeping the operator and value where they still fit. */
export function leafFor(option: FactOption, previous?: LeafCondition): LeafCondition {
  const ops = operatorsFor(option.type);
  const operator = previous && ops.includes(previous.operator) ? previous.operator : ops[0]!;
  const value = defaultValue(option, operator, previous?.value);
  const leaf: LeafCondition = { fact: option.fact, operator, value };
  if (option.fact === "eventCount") {
    leaf.params = { event: "order_completed", since: "entry" };
  } else if (option.custom === "traits") {
    leaf.fact = "customer";
    leaf.path = previous?.path?.startsWith("$.traits.") ? previous.path : "$.traits.city";
  } else if (option.custom === "event") {
    leaf.path = previous?.fact === "event" && previous.path ? previous.path : "$.properties.revenue";
  } else if (option.path) leaf.path = option.path;
  return leaf;
}

function defaultValue(option: FactOption, operator: Operator, prev: unknown): unknown {
  const list = operator === "in" || operator === "notIn";
  if (list) return Array.isArray(prev) ? prev : prev === undefined || prev === "" ? [] : [prev];
  if (Array.isArray(prev)) return prev[0] ?? "";
  if (prev !== undefined) {
    if (option.type === "number" && typeof prev !== "number") return 0;
    return prev;
  }
  switch (option.type) {
    case "number":
      return 0;
    case "boolean":
      return true;
    case "enum":
      return option.enum?.[0] ?? "";
    case "any":
    case "datetime":
    case "list":
    case "string":
      return "";
  }
}

/** Converts the value box's text to the value the operator wants for this type. */
export function parseValue(text: string, type: ValueType, operator: Operator): unknown {
  const one = (s: string): unknown => {
    const v = s.trim();
    if (type === "number") {
      const n = Number(v);
      return v !== "" && Number.isFinite(n) ? n : v;
    }
    if (type === "boolean") return v === "true";
    if (type === "any" && v !== "" && Number.isFinite(Number(v))) return Number(v);
    return v;
  };
  if (operator === "in" || operator === "notIn") {
    return text
      .split(/[,，]/)
      .map((s) => s.trim())
      .filter((s) => s !== "")
      .map(one);
  }
  return one(text);
}

export function valueText(value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => String(v)).join(", ");
  if (value === undefined || value === null) return "";
  return typeof value === "object" ? JSON.stringify(value) : str(value);
}

/** Count of leaves, for "and 3 more" summaries. */
export function leaves(c: NestedCondition | TopLevelCondition): LeafCondition[] {
  if ("all" in c) return c.all.flatMap(leaves);
  if ("any" in c) return c.any.flatMap(leaves);
  if ("not" in c) return leaves(c.not);
  return [c];
}

export function factLabel(leaf: LeafCondition, options: readonly FactOption[], lang: Lang): string {
  const opt = optionFor(leaf, options);
  if (opt?.custom && leaf.path) {
    return leaf.path.replace(/^\$\.(traits|properties)\./, "").replace(/^\$\./, "");
  }
  if (opt) return opt.label[lang];
  return leaf.path ? labelFromPath(leaf.path) : humanize(leaf.fact);
}
