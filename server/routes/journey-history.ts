// A journey's published versions: the list, one version's document, and the diff between two (or the draft).
import { diffJourneys } from "../../engine/schema/diff";
import { notFound } from "../errors";
import { VIEWER, route } from "../route";
import type { RouteDef } from "../route";
import { versionSummary } from "../views";
import { getJourney } from "./journey-lookup";

export function journeyHistoryRoutes(): RouteDef[] {
  return [
    route({
      method: "get",
      path: "/api/journeys/:id/versions",
      access: VIEWER,
      tag: "journeys",
      summary: "Published versions",
      handler: async ({ ctx, params }) => {
        const j = await getJourney(ctx, params.id!);
        return (await ctx.store.listVersions(j.id)).map(versionSummary);
      },
    }),
    route({
      method: "get",
      path: "/api/journeys/:id/versions/:version",
      access: VIEWER,
      tag: "journeys",
      summary: "One published version's document",
      handler: async ({ ctx, params }) => {
        const j = await getJourney(ctx, params.id!);
        const v = (await ctx.store.listVersions(j.id)).find((x) => String(x.version) === params.version);
        if (!v) throw notFound(`version ${params.version} of journey ${j.id}`);
        return { ...versionSummary(v), doc: v.doc, pins: v.pins };
      },
    }),
    route({
      method: "get",
      path: "/api/journeys/:id/versions/:a/diff/:b",
      access: VIEWER,
      tag: "journeys",
      summary: "What changed from version a to version b (`draft` names the current draft)",
      handler: async ({ ctx, params }) => {
        const j = await getJourney(ctx, params.id!);
        const versions = await ctx.store.listVersions(j.id);
        const docOf = (v: string): unknown => {
          if (v === "draft") return j.draft;
          const row = versions.find((x) => String(x.version) === v);
          if (!row) throw notFound(`version ${v} of journey ${j.id}`);
          return row.doc;
        };
        return diffJourneys(docOf(params.a!), docOf(params.b!));
      },
    }),
  ];
}
