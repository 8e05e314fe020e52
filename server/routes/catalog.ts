import { z } from "zod";
import { TemplateError } from "../../engine/index";
import { FACTS_CATALOG, type FactEntry } from "../../engine/schema/facts";
import { NODE_DATA } from "../../engine/schema/journey";
import { NODE_PORTS } from "../../engine/schema/ports";
import type { TemplateLocale } from "../../engine/index";
import type { ServerContext } from "../context";
import { badRequest, notFound } from "../errors";
import { VIEWER, route } from "../route";
import type { RouteDef } from "../route";

const js = (s: z.ZodType): unknown => z.toJSONSchema(s, { unrepresentable: "any", io: "input" });

type Title = { en: string; zh: string };
// Titles only: the ports come from the schema (NODE_PORTS), the one list the engine routes by.
const KIND_TITLE: Record<string, Record<string, Title>> = {
  trigger: {
    event: { en: "When an event arrives", zh: "事件触发" },
    audience: { en: "Audience on a schedule", zh: "定时人群" },
    stage: { en: "Lifecycle stage change", zh: "生命周期阶段变化" },
    manual: { en: "Manual entry", zh: "手动加入" },
  },
  wait: {
    duration: { en: "Wait a while", zh: "等待一段时间" },
    until: { en: "Wait until a time", zh: "等待至指定时间" },
    event: { en: "Wait for an event", zh: "等待事件" },
  },
  split: {
    random: { en: "Random split", zh: "随机分流" },
    holdout: { en: "Holdout group", zh: "对照组" },
  },
};
const TYPE_TITLE: Record<string, Title> = {
  trigger: { en: "Trigger", zh: "触发器" },
  condition: { en: "Condition", zh: "条件判断" },
  wait: { en: "Wait", zh: "等待" },
  split: { en: "Split", zh: "分流" },
  action: { en: "Action", zh: "动作" },
  exit: { en: "Exit", zh: "结束" },
};
const portsOfType = (type: string): string[] => {
  const p = NODE_PORTS[type as keyof typeof NODE_PORTS];
  return Array.isArray(p) ? [...(p as readonly string[])] : [];
};
const portsOfKind = (type: string, kind: string): string[] => [
  ...((NODE_PORTS[type as keyof typeof NODE_PORTS] as Record<string, readonly string[]>)[kind] ?? []),
];

/** The node-type catalog: control nodes from the journey schema, actions from the registry. */
export function nodeTypes(ctx: ServerContext) {
  const control = Object.entries(NODE_DATA).map(([type, data]) => {
    const title = TYPE_TITLE[type]!;
    if (data instanceof z.ZodType) return { type, ports: portsOfType(type), title, dataSchema: js(data) };
    const kinds = Object.entries(data as Record<string, z.ZodType>).map(([kind, schema]) => ({
      kind,
      title: KIND_TITLE[type]![kind]!,
      ports: portsOfKind(type, kind),
      ...(type === "split" && kind === "random" ? { portsFrom: "branches[].id" } : {}),
      dataSchema: js(schema),
    }));
    return {
      type,
      kinds,
      ports: [...new Set(kinds.flatMap((k) => k.ports))],
      title,
      dataSchema: { oneOf: kinds.map((k) => k.dataSchema) },
    };
  });
  return { control, actions: ctx.registry.catalog() };
}

/** The facts catalog is the contract's (engine/schema/facts.ts): the builder derives its picker from the same list. */
export function facts(): readonly FactEntry[] {
  return FACTS_CATALOG;
}

export const previewBody = z.object({
  customerId: z.string().min(1).optional(),
  sample: z.boolean().optional(),
  locale: z.enum(["zh", "en"]).optional(),
  params: z.record(z.string(), z.unknown()).optional(),
});

export function catalogRoutes(): RouteDef[] {
  return [
    route({
      method: "get",
      path: "/api/node-types",
      access: VIEWER,
      tag: "catalog",
      summary: "Every control node and registered action: data/config as JSON Schema, ports",
      handler: ({ ctx }) => nodeTypes(ctx),
    }),
    route({
      method: "get",
      path: "/api/facts",
      access: VIEWER,
      tag: "catalog",
      summary: "Facts available to conditions",
      handler: () => facts(),
    }),
    route({
      method: "get",
      path: "/api/templates",
      access: VIEWER,
      tag: "templates",
      summary: "Message templates",
      handler: ({ ctx }) =>
        ctx.templates.list().map((t) => ({
          name: t.name,
          channel: t.channel,
          version: t.version,
          locales: Object.keys(t.locales),
          ...(t.description ? { description: t.description } : {}),
          tags: t.tags ?? [],
        })),
    }),
    route({
      method: "get",
      path: "/api/templates/:name",
      access: VIEWER,
      tag: "templates",
      summary: "A template's definition, versions and variables",
      handler: ({ ctx, params }) => {
        const t = ctx.templates.get(params.name!);
        if (!t) throw notFound(`template ${params.name}`);
        return { ...t, versions: ctx.templates.versions(t.name), variables: ctx.templates.variables(t.name) };
      },
    }),
    route({
      method: "post",
      path: "/api/templates/:name/preview",
      access: VIEWER,
      tag: "templates",
      summary: "Render a template for a stored customer or with sample data",
      body: previewBody,
      handler: async ({ ctx, params, body }) => {
        const t = ctx.templates.get(params.name!);
        if (!t) throw notFound(`template ${params.name}`);
        try {
          if (body.customerId !== undefined) {
            const c = (await ctx.store.getCustomers([body.customerId])).get(body.customerId);
            if (!c) throw notFound(`customer ${body.customerId}`);
            const now = ctx.engine.clock.now();
            return ctx.templates.render(t.name, {
              customer: ctx.engine.model.fact(c, now),
              ...(body.locale ? { locale: body.locale } : {}),
              coupon: "PREVIEW-COUPON",
              journey: { name: "Preview" },
              now: new Date(now),
              params: { ...t.sample, ...body.params },
            });
          }
          const locale: TemplateLocale = body.locale ?? (t.locales.zh ? "zh" : "en");
          return ctx.templates.preview(t.name, locale, body.params ? { params: body.params } : {});
        } catch (e) {
          if (e instanceof TemplateError)
            throw badRequest(e.message, [{ path: "template", message: e.message }]);
          throw e;
        }
      },
    }),
  ];
}
