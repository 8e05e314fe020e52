// Looking a journey up for a route (404 when missing) and the journey as the API answers it.
import type { JourneyRow } from "../../engine/index";
import type { ServerContext } from "../context";
import { notFound } from "../errors";
import { journeyView } from "../views";

export async function getJourney(ctx: ServerContext, id: string): Promise<JourneyRow> {
  const j = await ctx.store.getJourney(id);
  if (!j) throw notFound(`journey ${id}`);
  return j;
}

export async function liveVersionNumber(ctx: ServerContext, j: JourneyRow): Promise<number | null> {
  if (j.liveVersionId === null) return null;
  return (await ctx.store.getVersion(j.liveVersionId))?.version ?? null;
}

export async function journeyOut(ctx: ServerContext, j: JourneyRow) {
  const view = journeyView(j, await liveVersionNumber(ctx, j));
  // A live journey whose stored version cannot compile is not running; say so instead of hiding it.
  const unrunnable = ctx.engine.unrunnable().find((u) => u.journeyId === j.id);
  return unrunnable ? { ...view, problem: `not running: ${unrunnable.message}` } : view;
}
