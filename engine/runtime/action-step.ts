import type { ActionNode } from "../schema/journey";
import type { RenderedContent } from "../actions/types";
import type { CustomerRow, OutboxRow, RunRow } from "../store/types";
import type { Batch } from "./batch";
import type { StepReason } from "../schema/run-log";
import type { CompiledJourney, CompiledNode } from "./compiled";
import type { EngineDeps } from "./deps";
import { customerZone, quietHoursEnd } from "./local-time";
import { receiverOf } from "./receiver";
import type { ReportedReason } from "./transitions/log-entry";
import { reported } from "./transitions/log-entry";
import type { Transition } from "./transitions/transition";
import { suppresses } from "../consent/consent";

export const idempotencyKey = (runId: number, nodeId: string, visit: number): string =>
  `${runId}:${nodeId}:${visit}`;

const configCache = new WeakMap<ActionNode, Record<string, unknown>>();

/**
 * An action node: message checks (address, consent, quiet hours, frequency cap), template rendering, then either an
 * internal effect committed with this step or an outbox row that the dispatcher delivers at most once.
 */
export async function runAction(
  cj: CompiledJourney,
  cn: CompiledNode & { node: ActionNode },
  run: RunRow,
  customerRow: CustomerRow,
  customerFact: () => Record<string, unknown>,
  batch: Batch,
  deps: EngineDeps,
): Promise<Transition> {
  const node = cn.node;
  const now = batch.now;
  const visit = run.visits[node.id] ?? 1;
  const base = { nodeId: node.id, nodeType: "action", visit, at: now, dueAt: null } as const;
  const def = deps.registry.get(node.data.action);
  const failTo = (
    reason: StepReason | ReportedReason,
    detail: Record<string, unknown> | null = null,
  ): Transition => {
    const port = cn.out.has("failed") ? "failed" : null;
    const log = { ...base, port, outcome: "failed", reason, detail } as const;
    return port ? { to: "port", port, log } : { to: "end", outcome: "failed", log };
  };
  if (!def) return failTo("unknown_action", { action: node.data.action });

  const resumingSameVisit = run.ctx.deferred?.nodeId === node.id && run.ctx.deferred.visit === visit;
  run.ctx.deferred = undefined;
  let address: string | undefined;
  if (def.channel) {
    const raw = customerRow.traits[def.channel.addressTrait];
    address =
      typeof raw === "string" && raw.trim() !== "" ? raw : typeof raw === "number" ? String(raw) : undefined;
    if (address === undefined) {
      const port = cn.out.has("failed") ? "failed" : "next";
      return {
        to: "port",
        port,
        log: {
          ...base,
          port,
          outcome: "skipped",
          reason: "no_address",
          detail: { trait: def.channel.addressTrait },
        },
      };
    }
    // Consent before quiet hours: a deferral that ends in an unsubscribed skip would only delay the run.
    const suppressed =
      batch.suppressions?.get(run.customerId) ?? (await deps.store.suppressedChannels(run.customerId));
    if (suppresses(suppressed, def.channel.name)) {
      return {
        to: "port",
        port: "next",
        log: {
          ...base,
          port: "next",
          outcome: "skipped",
          reason: "unsubscribed",
          detail: { channel: def.channel.name },
        },
      };
    }
    if (cj.quietHours && !resumingSameVisit) {
      const zone = customerZone(customerRow.traits, cj.settings.timezone);
      const until = quietHoursEnd(now, zone, cj.quietHours);
      if (until !== null) {
        return {
          to: "wait",
          dueAt: until,
          port: null,
          deferred: { nodeId: node.id, visit },
          log: {
            ...base,
            port: null,
            outcome: "deferred",
            reason: "quiet_hours",
            detail: { until: new Date(until).toISOString(), timezone: zone },
          },
        };
      }
    }
    if (cj.frequencyCap) {
      // The window is half-open like every other in the spec: a message sent exactly `per` ago no longer counts.
      const since = now - cj.frequencyCap.perMs + 1;
      const stored = await deps.store.countDeliveries(run.customerId, deps.messageChannels, since);
      const pending = (batch.pendingMessages.get(run.customerId) ?? []).filter((t) => t >= since).length;
      if (stored + pending >= cj.frequencyCap.max) {
        return {
          to: "port",
          port: "next",
          log: {
            ...base,
            port: "next",
            outcome: "skipped",
            reason: "capped",
            detail: { sent: stored + pending, max: cj.frequencyCap.max, per: cj.settings.frequencyCap?.per },
          },
        };
      }
    }
  }

  let config = configCache.get(node);
  if (!config) {
    const parsed = def.config.safeParse(node.data.params ?? {});
    if (!parsed.success) return failTo("bad_config", { issues: parsed.error.issues.map((i) => i.message) });
    config = parsed.data;
    configCache.set(node, config);
  }

  const template = node.data.template ?? null;
  let rendered: RenderedContent | null = null;
  if (template !== null) {
    if (!deps.templates.has(template) && deps.lenientTemplates) {
      rendered = null;
    } else {
      try {
        rendered = deps.templates.render(template, {
          customer: customerFact(),
          vars: run.ctx.vars ?? {},
          journey: { name: cj.name, id: cj.journeyId },
          event: run.ctx.event,
          now,
          timezone: customerZone(customerRow.traits, cj.settings.timezone),
          pin: cj.pins[template],
          params: config,
          idempotencyKey: idempotencyKey(run.id, node.id, visit),
        });
      } catch (e) {
        return failTo("render_error", { template, error: (e as Error).message });
      }
    }
  }

  const key = idempotencyKey(run.id, node.id, visit);
  if (def.effect === "internal") {
    const result = await def.execute({
      config,
      rendered,
      template,
      customer: customerFact() as { id: string; traits: Record<string, unknown> },
      address,
      idempotencyKey: key,
      attempt: 1,
      run: { id: run.id, journeyId: run.journeyId, versionId: run.versionId, nodeId: node.id, visit },
      vars: run.ctx.vars ?? {},
      now,
      signal: AbortSignal.timeout(30_000),
      log: deps.log,
    });
    switch (result.status) {
      case "done": {
        if (result.traits) {
          customerRow.traits = { ...customerRow.traits, ...result.traits };
          customerRow.updatedAt = now;
          batch.setCustomer(customerRow);
        }
        if (result.vars) run.ctx.vars = { ...run.ctx.vars, ...result.vars };
        const port = result.port ?? "next";
        return {
          to: "port",
          port,
          log: {
            ...base,
            port,
            outcome: "executed",
            reason: null,
            detail: result.vars ? { vars: result.vars } : null,
          },
        };
      }
      case "retry":
        return {
          to: "wait",
          dueAt: now + Math.max(0, result.afterMs),
          port: null,
          deferred: { nodeId: node.id, visit },
          log: { ...base, port: null, outcome: "retry", reason: reported(result.reason), detail: null },
        };
      case "fail":
        return failTo(reported(result.reason));
    }
  }

  const waitsForResult = cn.out.has("failed") || (def.ports ?? []).some((p) => cn.out.has(p));
  const deliver: OutboxRow = {
    idempotencyKey: key,
    runId: run.id,
    journeyId: run.journeyId,
    versionId: run.versionId,
    nodeId: node.id,
    visit,
    customerId: run.customerId,
    action: def.type,
    channel: def.channel?.name ?? null,
    template,
    payload: { rendered, address: address ?? null, config, vars: run.ctx.vars ?? {} },
    status: "pending",
    attempts: 0,
    nextAttemptAt: now,
    createdAt: now,
    deliveredAt: null,
    response: null,
    error: null,
    resumesRun: waitsForResult,
  };
  deliver.receiver = receiverOf(deliver);
  const detail = { idempotencyKey: key };
  if (waitsForResult)
    return { to: "await", deliver, log: { ...base, port: null, outcome: "queued", reason: null, detail } };
  return {
    to: "port",
    port: "next",
    deliver,
    log: { ...base, port: "next", outcome: "queued", reason: null, detail },
  };
}
