import { timingSafeEqual } from "node:crypto";
import express from "express";
import type { Request, RequestHandler, Response, Router } from "express";
import { z } from "zod";
import type { ServerContext } from "./context";
import { HttpError, zodIssues } from "./errors";
import { sha256 } from "./auth";
import type { UserRow, WriteKeyRow } from "../engine/index";
import { PERMISSIONS } from "../engine/schema/roles";
import type { Permission, Role } from "../engine/schema/roles";

export type Method = "get" | "post" | "put" | "patch" | "delete";

/**
 * Who may call a route: no one in particular, signed-in users whose role has `permission` in the schema's
 * role table (engine/schema/roles.ts), or a write key.
 */
export type Access =
  | { kind: "public" }
  | { kind: "user"; permission: Permission; roles: readonly Role[] }
  | { kind: "writeKey" };

const user = (permission: Permission): Access => ({
  kind: "user",
  permission,
  roles: PERMISSIONS[permission],
});

export const PUBLIC: Access = { kind: "public" };
export const WRITE_KEY: Access = { kind: "writeKey" };
export const VIEWER = user("view");
export const ANY_USER = VIEWER;
export const MARKETER = user("edit");
export const OPERATOR = user("operate");
export const OPS = user("repair");
export const ADMIN = user("administer");

export interface Call<B, Q> {
  req: Request;
  res: Response;
  ctx: ServerContext;
  body: B;
  query: Q;
  params: Record<string, string>;
  user: UserRow | null;
  key: WriteKeyRow | null;
  /** Writes an audit entry attributed to the caller. */
  audit: (action: string, target: string | null, detail?: unknown) => Promise<void>;
}

export interface RouteDef {
  method: Method;
  /** Express path (`/api/journeys/:id`). */
  path: string;
  access: Access;
  summary: string;
  tag: string;
  body?: z.ZodType | undefined;
  /** The body as documented, where `body` only checks the outer shape and the handler checks the rest. */
  docBody?: z.ZodType | undefined;
  query?: z.ZodType | undefined;
  response?: z.ZodType | undefined;
  /** Status of a success (default 200). */
  status?: number;
  /** Body size limit (bytes) for this route; bodies over it answer 413. */
  bodyLimit?: number;
  /** Content types answered besides JSON (CSV export). */
  produces?: string[];
  /** A bearer token accepted instead of a user session (e.g. a metrics scraper's), when set. */
  scrapeToken?: (ctx: ServerContext) => string | undefined;
  handler: (call: Call<never, never>) => unknown;
}

/** Declares a route with typed body and query (from the zod schemas). */
export function route<B extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined>(def: {
  method: Method;
  path: string;
  access: Access;
  summary: string;
  tag: string;
  body?: B;
  docBody?: z.ZodType;
  query?: Q;
  response?: z.ZodType;
  status?: number;
  bodyLimit?: number;
  produces?: string[];
  scrapeToken?: (ctx: ServerContext) => string | undefined;
  handler: (call: Call<z.output<B>, z.output<Q>>) => unknown;
}): RouteDef {
  return def;
}

const DEFAULT_LIMIT = 1024 * 1024;

function bearer(req: Request): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m?.[1];
}

function basicUser(req: Request): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Basic\s+(\S+)$/i.exec(h);
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], "base64").toString("utf8");
  const i = decoded.indexOf(":");
  return i === -1 ? decoded : decoded.slice(0, i);
}

/** Resolves a session token to its user; throws 401 when missing, unknown, expired or disabled. */
export async function authenticateUser(
  ctx: ServerContext,
  req: Request,
): Promise<{ user: UserRow; tokenHash: string }> {
  const token = bearer(req);
  if (!token) throw new HttpError("unauthorized", "sign in: send Authorization: Bearer <token>");
  const tokenHash = sha256(token);
  const userId = await ctx.srv.session(tokenHash, Date.now());
  const user = userId === undefined ? undefined : await ctx.srv.getUser(userId);
  if (!user || user.disabled) throw new HttpError("unauthorized", "the session is unknown or has expired");
  return { user, tokenHash };
}

async function authenticateKey(ctx: ServerContext, req: Request): Promise<WriteKeyRow> {
  const secret = basicUser(req);
  if (!secret) {
    // 401, not 403: no write key was presented at all, whatever else was.
    if (bearer(req))
      throw new HttpError(
        "unauthorized",
        "ingestion takes a write key (HTTP Basic, the key as user name)",
        undefined,
        {
          "WWW-Authenticate": 'Basic realm="rekindle ingestion"',
        },
      );
    throw new HttpError("unauthorized", "send a write key as the HTTP Basic user name");
  }
  const key = await ctx.keys.lookup(secret);
  if (!key) throw new HttpError("unauthorized", "unknown or revoked write key");
  return key;
}

function sameSecret(given: string | undefined, want: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(sha256(given));
  const b = Buffer.from(sha256(want));
  return timingSafeEqual(a, b);
}

const parsers = new Map<number, RequestHandler>();
function jsonParser(limit: number): RequestHandler {
  let p = parsers.get(limit);
  if (!p) {
    p = express.json({ limit, type: ["application/json", "application/*+json", "text/plain"] });
    parsers.set(limit, p);
  }
  return p;
}

/** Mounts routes: authentication and role check first (before the body is read), then the body limit and parse, then zod. */
export function mount(router: Router, ctx: ServerContext, routes: readonly RouteDef[]): void {
  for (const def of routes) {
    const handlers: RequestHandler[] = [];
    handlers.push(async (req, res, next) => {
      const a = def.access;
      const locals = res.locals as { user?: UserRow; key?: WriteKeyRow; tokenHash?: string };
      const scrape = def.scrapeToken?.(ctx);
      if (scrape !== undefined && sameSecret(bearer(req), scrape)) {
        next();
        return;
      }
      if (a.kind === "user") {
        if (basicUser(req) !== undefined && bearer(req) === undefined) {
          const key = await ctx.keys.lookup(basicUser(req)!);
          if (key) throw new HttpError("forbidden", "a write key can only ingest events");
        }
        const { user, tokenHash } = await authenticateUser(ctx, req);
        if (!a.roles.includes(user.role))
          throw new HttpError(
            "forbidden",
            `this needs the role ${a.roles.filter((r) => r !== "admin").join(" or ") || "admin"}; you are ${user.role}`,
          );
        locals.user = user;
        locals.tokenHash = tokenHash;
      } else if (a.kind === "writeKey") {
        const key = await authenticateKey(ctx, req);
        locals.key = key;
      }
      next();
    });
    if (def.method !== "get" && def.method !== "delete")
      handlers.push(jsonParser(def.bodyLimit ?? DEFAULT_LIMIT));
    handlers.push(async (req: Request, res: Response) => {
      const locals = res.locals as { user?: UserRow; key?: WriteKeyRow };
      let body: unknown = undefined;
      let query: unknown = undefined;
      if (def.body) {
        const raw: unknown = req.body ?? {};
        const r = def.body.safeParse(raw);
        if (!r.success) throw new HttpError("bad_request", "the request body is invalid", zodIssues(r.error));
        body = r.data;
      }
      if (def.query) {
        const r = def.query.safeParse({ ...(req.query as object) });
        if (!r.success) throw new HttpError("bad_request", "the query is invalid", zodIssues(r.error));
        query = r.data;
      }
      const user = locals.user ?? null;
      const call: Call<never, never> = {
        req,
        res,
        ctx,
        body: body as never,
        query: query as never,
        params: req.params as Record<string, string>,
        user,
        key: locals.key ?? null,
        audit: (action, target, detail) =>
          ctx.srv.audit(Date.now(), user?.id ?? null, action, target, detail),
      };
      const out = await def.handler(call);
      if (res.headersSent) return;
      if (out === undefined) {
        res.status(def.status === 200 || def.status === undefined ? 204 : def.status).end();
        return;
      }
      res.status(def.status ?? 200).json(out);
    });
    router[def.method](def.path, ...handlers);
  }
}

/** `/api/journeys/:id` → `/api/journeys/{id}`. */
export const openApiPath = (p: string): string => p.replace(/:([A-Za-z0-9_]+)/g, "{$1}");

export const cursorQuery = {
  cursor: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
};
