import { z } from "zod";
import type { RouteDef } from "./route";
import { openApiPath } from "./route";

const js = (s: z.ZodType, io: "input" | "output"): Record<string, unknown> =>
  z.toJSONSchema(s, { io, unrepresentable: "any", target: "draft-2020-12" });

const strip = (s: Record<string, unknown>): Record<string, unknown> => {
  const { $schema: _s, ...rest } = s;
  return rest;
};

const errorSchema = z.object({
  error: z.object({
    code: z.enum([
      "bad_request",
      "unauthorized",
      "forbidden",
      "not_found",
      "conflict",
      "too_large",
      "rate_limited",
      "internal",
    ]),
    message: z.string(),
    issues: z
      .array(
        z.looseObject({
          path: z.string(),
          message: z.string(),
          nodeId: z.string().optional(),
          edgeId: z.string().optional(),
        }),
      )
      .optional(),
  }),
});

/** OpenAPI 3.1, generated from the routes' zod schemas (z.toJSONSchema), never written by hand. */
export function openApiDocument(routes: readonly RouteDef[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = openApiPath(r.path);
    const params = [...r.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => ({
      name: m[1],
      in: "path",
      required: true,
      schema: { type: "string" },
    }));
    const query: unknown[] = [];
    if (r.query) {
      const q = js(r.query, "input");
      const props = (q.properties ?? {}) as Record<string, Record<string, unknown>>;
      const required = new Set((q.required as string[] | undefined) ?? []);
      for (const [name, schema] of Object.entries(props))
        query.push({ name, in: "query", required: required.has(name), schema: strip(schema) });
    }
    const bodySchema = r.docBody ?? r.body;
    const responses: Record<string, unknown> = {
      [String(r.status ?? 200)]: {
        description: "success",
        ...(r.response
          ? { content: { "application/json": { schema: strip(js(r.response, "output")) } } }
          : r.status === 204
            ? {}
            : {
                content: {
                  "application/json": { schema: {} },
                  ...Object.fromEntries((r.produces ?? []).map((p) => [p, { schema: { type: "string" } }])),
                },
              }),
      },
      default: {
        description: "error",
        content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
      },
    };
    const security =
      r.access.kind === "public" ? [] : r.access.kind === "writeKey" ? [{ writeKey: [] }] : [{ bearer: [] }];
    (paths[path] ??= {})[r.method] = {
      summary: r.summary,
      tags: [r.tag],
      operationId: `${r.method}${path.replace(/[{}]/g, "").replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ""))}`,
      ...(r.access.kind === "user" ? { "x-roles": r.access.roles } : {}),
      security,
      parameters: [...params, ...query],
      ...(bodySchema && r.method !== "get"
        ? {
            requestBody: {
              required: true,
              content: { "application/json": { schema: strip(js(bodySchema, "input")) } },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Rekindle API",
      version,
      description:
        "Journeys, customers, run logs and Segment-compatible ingestion. Users sign in with POST /api/auth/login and send Authorization: Bearer <token>; ingestion takes a write key as the HTTP Basic user name.",
    },
    servers: [{ url: "/" }],
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer" },
        writeKey: {
          type: "http",
          scheme: "basic",
          description: "the write key as the user name, empty password",
        },
      },
      schemas: { Error: strip(js(errorSchema, "output")) },
    },
    paths,
  };
}
