import type { z } from "zod";

/**
 * What any template renderer produced, as the engine and actions see it: the channel, `body` (always the main
 * text) and whatever else the renderer adds. The template library's own, fully typed result is
 * `RenderedMessage` (engine/templates/types.ts), which is one of these.
 */
export interface RenderedContent {
  channel: string;
  subject?: string;
  body: string;
  html?: string;
  text?: string;
  title?: string;
  [extra: string]: unknown;
}

export interface ActionLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** What an action's `execute` receives. Everything is injected: no clocks, globals or `this`. */
export interface ActionContext<C> {
  /** The node's `params`, parsed by the action's config schema. */
  config: C;
  /** The node's template, already rendered for this customer (null when the node has none). */
  rendered: RenderedContent | null;
  template: string | null;
  /** The `customer` fact: `{id, traits, ...computed state}`. */
  customer: { id: string; traits: Record<string, unknown>; [k: string]: unknown };
  /** For message actions, the address the channel delivers to (email, phone, …). */
  address: string | undefined;
  /** Stable across retries and crashes: `run:node:visit`. Pass it to providers. */
  idempotencyKey: string;
  /** Which attempt of this delivery this is, from 1: outbox retries are new attempts with the same key. */
  attempt: number;
  run: { id: number; journeyId: string; versionId: number; nodeId: string; visit: number };
  /** Values earlier steps left on the run (coupon codes, webhook results). */
  vars: Record<string, unknown>;
  now: number;
  signal: AbortSignal;
  log: ActionLogger;
}

export type ActionResult =
  | {
      status: "done";
      /** Leave through this port (default `next`). */
      port?: string;
      /** Values to keep on the run for later steps and templates (e.g. `{ couponCode }`). */
      vars?: Record<string, unknown>;
      /** Traits to merge into the customer's profile. */
      traits?: Record<string, unknown>;
      /** What the provider answered, kept in the outbox for ops. */
      response?: unknown;
    }
  | { status: "retry"; afterMs: number; reason: string; response?: unknown }
  | { status: "fail"; reason: string; response?: unknown };

export interface LocalizedText {
  en: string;
  zh: string;
}

/**
 * One action node type. Register it in a registry; the server serves it in the node-type catalog and the
 * builder renders its form from `config`, with no UI code of its own.
 */
export interface ActionDefinition<C = Record<string, unknown>> {
  /** `email`, or namespaced for custom actions: `acme/loyalty-points`. */
  type: string;
  version: number;
  title: LocalizedText;
  description?: LocalizedText;
  /** Message actions name their channel and the trait holding the address; they count towards caps. */
  channel?: { name: string; addressTrait: string };
  /** The single source of the config's TypeScript type, server validation and builder form. */
  config: z.ZodType<C>;
  /** Ports beyond `next` and `failed`. */
  ports?: readonly string[];
  /** Whether the node takes a template, and which template channel it renders. */
  template?: { channel: string; required: boolean };
  /**
   * `external` effects leave Rekindle (a send, an HTTP call): they run from the outbox, at most once per
   * idempotency key. `internal` effects only return data (traits, vars) that the engine commits with the step.
   */
  effect: "external" | "internal";
  execute(ctx: ActionContext<C>): Promise<ActionResult>;
}

/** Keeps the config type when declaring an action in its own file. */
export function defineAction<C>(def: ActionDefinition<C>): ActionDefinition<C> {
  return def;
}
