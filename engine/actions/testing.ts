import type { ActionContext, ActionDefinition, ActionResult, RenderedContent } from "./types";

/** A log line an action wrote during a test run. */
export interface LoggedLine {
  level: "info" | "warn" | "error";
  obj: object;
  msg?: string;
}

export interface TestRunOptions {
  /** The node's params, parsed by the action's config schema as the engine would. */
  config?: unknown;
  /** The customer fact; `traits` defaults to `{}` and `id` to `c-test`. */
  customer?: { id?: string; traits?: Record<string, unknown>; [k: string]: unknown };
  rendered?: RenderedContent | null;
  template?: string | null;
  address?: string;
  vars?: Record<string, unknown>;
  /** Default `2026-03-05T10:30:00Z`. */
  now?: number;
  /** Default `1:a1:1` (run, node, visit). */
  idempotencyKey?: string;
  /** Which attempt of the delivery (default 1). */
  attempt?: number;
  run?: Partial<ActionContext<unknown>["run"]>;
  signal?: AbortSignal;
  /** Milliseconds before the signal aborts (default 10 s), when no signal is given. */
  timeoutMs?: number;
}

export interface TestRun<C> {
  result: ActionResult;
  /** The context the action received. */
  ctx: ActionContext<C>;
  logs: LoggedLine[];
}

/** The config did not pass the action's schema: what the server would answer when saving the journey. */
export class ActionConfigError extends Error {
  override readonly name = "ActionConfigError";
  constructor(readonly issues: { path: string; message: string }[]) {
    super(`invalid config: ${issues.map((i) => `${i.path || "(root)"}: ${i.message}`).join("; ")}`);
  }
}

/** Validates a node's params against an action's config schema, as publishing does. */
export function validateActionConfig<C>(
  def: Pick<ActionDefinition<C>, "config">,
  config: unknown,
): { ok: true; config: C } | { ok: false; issues: { path: string; message: string }[] } {
  const parsed = def.config.safeParse(config ?? {});
  if (parsed.success) return { ok: true, config: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message })),
  };
}

/**
 * Runs one action with a fake context, as the engine would (config parsed by the action's schema, a
 * stable idempotency key, an injected `now`, an abort signal, a recording logger). Throws
 * ActionConfigError when the config is invalid.
 *
 * ```ts
 * const { result } = await runActionForTest(loyaltyPoints, { config: { url, points: 200 } });
 * expect(result.status).toBe("done");
 * ```
 */
export async function runActionForTest<C>(
  def: ActionDefinition<C>,
  options: TestRunOptions = {},
): Promise<TestRun<C>> {
  const checked = validateActionConfig(def, options.config);
  if (!checked.ok) throw new ActionConfigError(checked.issues);
  const logs: LoggedLine[] = [];
  const logger =
    (level: LoggedLine["level"]) =>
    (obj: object, msg?: string): void =>
      void logs.push({ level, obj, ...(msg !== undefined ? { msg } : {}) });
  const customer = {
    ...options.customer,
    id: options.customer?.id ?? "c-test",
    traits: options.customer?.traits ?? {},
  };
  const ctx: ActionContext<C> = {
    config: checked.config,
    rendered: options.rendered ?? null,
    template: options.template ?? null,
    customer,
    address: options.address,
    idempotencyKey: options.idempotencyKey ?? "1:a1:1",
    attempt: options.attempt ?? 1,
    run: { id: 1, journeyId: "j-test", versionId: 1, nodeId: "a1", visit: 1, ...options.run },
    vars: options.vars ?? {},
    now: options.now ?? Date.parse("2026-03-05T10:30:00Z"),
    signal: options.signal ?? AbortSignal.timeout(options.timeoutMs ?? 10_000),
    log: { info: logger("info"), warn: logger("warn"), error: logger("error") },
  };
  const result = await def.execute(ctx);
  return { result, ctx, logs };
}
