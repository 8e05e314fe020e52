import type { ServerContext } from "../context";
import { notFound } from "../errors";
import { OPS, VIEWER, route } from "../route";
import type { RouteDef } from "../route";
import { runTraceView } from "../views";

async function runTraceOf(ctx: ServerContext, id: number) {
  const t = await ctx.read.runTrace(id);
  if (!t) throw notFound(`run ${id}`);
  return runTraceView(t);
}

/** Runs: one run with its steps and deliveries, and putting a failed run back where it failed. */
export function runRoutes(): RouteDef[] {
  return [
    route({
      method: "get",
      path: "/api/runs/:id",
      access: VIEWER,
      tag: "runs",
      summary: "A run with its steps and deliveries",
      handler: ({ ctx, params }) => {
        const id = Number(params.id);
        if (!Number.isSafeInteger(id)) throw notFound(`run ${params.id}`);
        return runTraceOf(ctx, id);
      },
    }),
    route({
      method: "post",
      path: "/api/runs/:id/retry",
      access: OPS,
      tag: "runs",
      summary: "Put a failed run back on the node where it failed (same idempotency key)",
      handler: async ({ ctx, params, audit }) => {
        const id = Number(params.id);
        if (!Number.isSafeInteger(id)) throw notFound(`run ${params.id}`);
        await ctx.engine.retryRun(id);
        await audit("run.retry", String(id));
        return runTraceOf(ctx, id);
      },
    }),
  ];
}
