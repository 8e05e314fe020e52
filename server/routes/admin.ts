import { randomUUID } from "node:crypto";
import { z } from "zod";
import {
  dummyPasswordHash,
  hashPassword,
  needsRehash,
  newPassword,
  newToken,
  newWriteKey,
  publicKey,
  publicUser,
  SESSION_TTL_MS,
  sha256,
  verifyPassword,
} from "../auth";
import type { ServerContext } from "../context";
import { badRequest, conflict, HttpError, notFound } from "../errors";
import { ADMIN, ANY_USER, OPS, PUBLIC, cursorQuery, route } from "../route";
import type { RouteDef } from "../route";
import { ROLES } from "../../engine/index";
import type { Role, UserRow } from "../../engine/index";
import { iso } from "../views";

const email = z
  .email()
  .max(200)
  .transform((s) => s.toLowerCase());
const password = z.string().min(10, { error: "a password needs at least 10 characters" }).max(200);
const role = z.enum(ROLES);

export const loginBody = z.object({
  email: z.string().min(1).max(200),
  password: z.string().min(1).max(200),
});
export const createUserBody = z.object({
  email,
  name: z.string().trim().min(1).max(200),
  role,
  password: password.optional(),
});
export const patchUserBody = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    role: role.optional(),
    password: password.optional(),
    disabled: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: "nothing to change" });
export const createKeyBody = z.object({ name: z.string().trim().min(1).max(200) });

const userOut = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role,
  disabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** Creates a user; returns it with the password when one was generated (shown once). */
export async function createUser(
  ctx: ServerContext,
  input: { email: string; name: string; role: Role; password?: string | undefined },
): Promise<{ user: UserRow; password: string | null }> {
  if (await ctx.srv.userByEmail(input.email)) throw conflict(`a user with email ${input.email} exists`);
  const pw = input.password ?? newPassword();
  const now = Date.now();
  const user: UserRow = {
    id: randomUUID(),
    email: input.email.toLowerCase(),
    name: input.name,
    role: input.role,
    passwordHash: await hashPassword(pw, ctx.options.kdfCost),
    disabled: false,
    createdAt: now,
    updatedAt: now,
  };
  await ctx.srv.insertUser(user);
  return { user, password: input.password === undefined ? pw : null };
}

/** Fields that differ, each as before and after: the audit screen shows them as a diff. */
export function fieldChanges<T extends Record<string, unknown>>(
  before: T,
  after: T,
): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const k of Object.keys(after)) if (before[k] !== after[k]) out[k] = { from: before[k], to: after[k] };
  return out;
}

const activeAdmins = async (ctx: ServerContext): Promise<number> =>
  (await ctx.srv.listUsers()).filter((u) => u.role === "admin" && !u.disabled).length;

export function adminRoutes(): RouteDef[] {
  return [
    route({
      method: "post",
      path: "/api/auth/login",
      access: PUBLIC,
      tag: "auth",
      summary: "Sign in; answers a bearer token",
      body: loginBody,
      bodyLimit: 16 * 1024,
      response: z.object({ token: z.string(), user: userOut }),
      handler: async ({ ctx, body, req }) => {
        // Per address across accounts (a spray), then per account across addresses (a distributed guess):
        // each refused attempt costs no scrypt hash.
        const wait =
          ctx.loginLimiter.take(`ip:${req.ip ?? "?"}`) ||
          ctx.loginLimiter.take(`account:${body.email.toLowerCase()}`, 3);
        if (wait > 0)
          throw new HttpError("rate_limited", "too many sign-in attempts; try again later", undefined, {
            "Retry-After": String(wait),
          });
        const user = await ctx.srv.userByEmail(body.email);
        const ok = user
          ? await verifyPassword(body.password, user.passwordHash)
          : await verifyPassword(body.password, await dummyPasswordHash(ctx.options.kdfCost)).then(
              () => false,
            );
        if (!user || !ok || user.disabled) throw new HttpError("unauthorized", "wrong email or password");
        if (needsRehash(user.passwordHash, ctx.options.kdfCost)) {
          const passwordHash = await hashPassword(body.password, ctx.options.kdfCost);
          await ctx.srv.updateUser({ ...user, passwordHash, updatedAt: Date.now() });
        }
        const token = newToken();
        const now = Date.now();
        await ctx.srv.insertSession(sha256(token), user.id, now, now + SESSION_TTL_MS);
        await ctx.srv.audit(now, user.id, "auth.login", user.id, null);
        return { token, user: publicUser(user) };
      },
    }),
    route({
      method: "post",
      path: "/api/auth/logout",
      access: ANY_USER,
      tag: "auth",
      summary: "End this session",
      status: 204,
      handler: async ({ ctx, res }) => {
        const h = (res.locals as { tokenHash?: string }).tokenHash;
        if (h) await ctx.srv.deleteSession(h);
        return undefined;
      },
    }),
    route({
      method: "get",
      path: "/api/me",
      access: ANY_USER,
      tag: "auth",
      summary: "The signed-in user",
      response: userOut,
      handler: ({ user }) => publicUser(user!),
    }),
    route({
      method: "get",
      path: "/api/users",
      access: ADMIN,
      tag: "admin",
      summary: "Users",
      response: z.array(userOut),
      handler: async ({ ctx }) => (await ctx.srv.listUsers()).map(publicUser),
    }),
    route({
      method: "post",
      path: "/api/users",
      access: ADMIN,
      tag: "admin",
      summary: "Create a user; without a password one is generated and answered once",
      body: createUserBody,
      bodyLimit: 16 * 1024,
      status: 201,
      handler: async ({ ctx, body, audit }) => {
        const { user, password: pw } = await createUser(ctx, body);
        await audit("user.create", user.id, { email: user.email, role: user.role });
        return { ...publicUser(user), ...(pw ? { password: pw } : {}) };
      },
    }),
    route({
      method: "patch",
      path: "/api/users/:id",
      access: ADMIN,
      tag: "admin",
      summary: "Change a user's name, role, password or disabled flag",
      body: patchUserBody,
      bodyLimit: 16 * 1024,
      handler: async ({ ctx, params, body, audit }) => {
        const u = await ctx.srv.getUser(params.id!);
        if (!u) throw notFound(`user ${params.id}`);
        const next: UserRow = { ...u, updatedAt: Date.now() };
        if (body.name !== undefined) next.name = body.name;
        if (body.role !== undefined) next.role = body.role;
        if (body.disabled !== undefined) next.disabled = body.disabled;
        if (body.password !== undefined)
          next.passwordHash = await hashPassword(body.password, ctx.options.kdfCost);
        const losesAdmin = u.role === "admin" && !u.disabled && (next.role !== "admin" || next.disabled);
        if (losesAdmin && (await activeAdmins(ctx)) <= 1)
          throw conflict("the last admin cannot be demoted or disabled");
        await ctx.srv.updateUser(next);
        if (next.disabled || body.password !== undefined || next.role !== u.role)
          await ctx.srv.deleteUserSessions(u.id);
        await audit("user.update", u.id, {
          ...(body.name !== undefined ? { name: body.name } : {}),
          ...(body.role !== undefined ? { role: body.role } : {}),
          ...(body.disabled !== undefined ? { disabled: body.disabled } : {}),
          ...(body.password !== undefined ? { password: "changed" } : {}),
          changes: fieldChanges(
            { name: u.name, role: u.role, disabled: u.disabled },
            { name: next.name, role: next.role, disabled: next.disabled },
          ),
        });
        return publicUser(next);
      },
    }),
    route({
      method: "get",
      path: "/api/keys",
      access: ADMIN,
      tag: "admin",
      summary: "Write keys (secrets are never shown again)",
      handler: async ({ ctx }) => (await ctx.srv.listKeys()).map(publicKey),
    }),
    route({
      method: "post",
      path: "/api/keys",
      access: ADMIN,
      tag: "admin",
      summary: "Create a write key; the secret is answered once",
      body: createKeyBody,
      bodyLimit: 16 * 1024,
      status: 201,
      handler: async ({ ctx, body, user, audit }) => {
        const secret = newWriteKey();
        const row = {
          id: randomUUID(),
          name: body.name,
          secretHash: sha256(secret),
          prefix: secret.slice(0, 7),
          createdBy: user!.id,
          createdAt: Date.now(),
          revokedAt: null,
        };
        await ctx.srv.insertKey(row);
        ctx.keys.invalidate();
        await audit("key.create", row.id, { name: row.name });
        return { ...publicKey(row), secret };
      },
    }),
    route({
      method: "delete",
      path: "/api/keys/:id",
      access: ADMIN,
      tag: "admin",
      summary: "Revoke a write key",
      status: 204,
      handler: async ({ ctx, params, audit }) => {
        const k = await ctx.srv.getKey(params.id!);
        if (!k) throw notFound(`write key ${params.id}`);
        if (k.revokedAt !== null) throw conflict(`write key ${k.id} is already revoked`);
        await ctx.srv.revokeKey(k.id, Date.now());
        ctx.keys.invalidate();
        await audit("key.revoke", k.id, { name: k.name });
        return undefined;
      },
    }),
    route({
      method: "get",
      path: "/api/audit",
      access: OPS,
      tag: "admin",
      summary: "The audit log, newest first: who changed what, when",
      query: z.object(cursorQuery),
      handler: async ({ ctx, query }) => {
        let before: number | undefined;
        if (query.cursor) {
          before = Number(query.cursor);
          if (!Number.isSafeInteger(before))
            throw badRequest("bad cursor", [{ path: "cursor", message: "bad cursor" }]);
        }
        const rows = await ctx.srv.listAudit(before, query.limit + 1);
        const more = rows.length > query.limit;
        // Names as they are now: an audit row keeps only the id, and a renamed user is still the same one.
        const users = new Map((await ctx.srv.listUsers()).map((u) => [u.id, u]));
        const items = rows.slice(0, query.limit).map((r) => ({
          id: r.id,
          at: iso(r.at),
          userId: r.userId,
          userName: r.userId === null ? null : (users.get(r.userId)?.name ?? null),
          userEmail: r.userId === null ? null : (users.get(r.userId)?.email ?? null),
          action: r.action,
          target: r.target,
          detail: r.detail,
        }));
        return { items, nextCursor: more ? String(items[items.length - 1]!.id) : null };
      },
    }),
  ];
}
