import { z } from "zod";
import type { ActionInfo } from "../schema/validate";
import type { ActionDefinition } from "./types";

export class DuplicateActionError extends Error {
  constructor(type: string, version: number) {
    super(`action "${type}" version ${version} is registered twice`);
    this.name = "DuplicateActionError";
  }
}

const TYPE_RE = /^([a-z][a-z0-9_-]*\/)?[a-z][a-z0-9_-]*$/;

/** An explicit list of action types; the newest version of a type is the one journeys use. */
export class ActionRegistry {
  private readonly byType = new Map<string, ActionDefinition<never>[]>();
  /** Actions registered from plug-in modules, with the module each came from: what start-up reports. */
  readonly plugins: { type: string; version: number; module: string }[] = [];

  constructor(defs: readonly ActionDefinition<never>[] = []) {
    for (const d of defs) this.register(d);
  }

  register<C>(def: ActionDefinition<C>): this {
    if (!TYPE_RE.test(def.type)) {
      throw new Error(
        `action type "${def.type}" must be lower-case letters, digits, - or _, optionally namespaced "acme/name"`,
      );
    }
    if (!Number.isInteger(def.version) || def.version < 1) {
      throw new Error(`action "${def.type}" needs a whole-number version of 1 or more; got ${def.version}`);
    }
    const list = this.byType.get(def.type) ?? [];
    if (list.some((d) => d.version === def.version)) throw new DuplicateActionError(def.type, def.version);
    list.push(def as unknown as ActionDefinition<never>);
    list.sort((a, b) => b.version - a.version);
    this.byType.set(def.type, list);
    return this;
  }

  get(type: string): ActionDefinition<Record<string, unknown>> | undefined {
    return this.byType.get(type)?.[0];
  }

  list(): ActionDefinition<Record<string, unknown>>[] {
    return [...this.byType.values()].map((l) => l[0] as unknown as ActionDefinition<Record<string, unknown>>);
  }

  /** Message channels (for frequency caps): every action that declares a channel. */
  messageChannels(): string[] {
    return [...new Set(this.list().flatMap((d) => (d.channel ? [d.channel.name] : [])))];
  }

  /** What the journey validator needs. */
  info = (type: string): ActionInfo | undefined => {
    const d = this.get(type);
    if (!d) return undefined;
    return { ports: d.ports ?? [], ...(d.channel ? { channel: d.channel.name } : {}), config: d.config };
  };

  /** The node-type catalog entry of every action: config as JSON Schema, ports, channel. */
  catalog(): {
    type: string;
    version: number;
    title: ActionDefinition["title"];
    description?: ActionDefinition["description"];
    channel?: string;
    template?: ActionDefinition["template"];
    ports: string[];
    config: unknown;
  }[] {
    return this.list().map((d) => ({
      type: d.type,
      version: d.version,
      title: d.title,
      ...(d.description ? { description: d.description } : {}),
      ...(d.channel ? { channel: d.channel.name } : {}),
      ...(d.template ? { template: d.template } : {}),
      ports: ["next", "failed", ...(d.ports ?? [])],
      config: z.toJSONSchema(d.config, { unrepresentable: "any" }),
    }));
  }
}
