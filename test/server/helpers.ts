import { randomUUID } from "node:crypto";
import request from "supertest";
import type { Express } from "express";
import { createApp } from "../../server/app";
import { newToken, newWriteKey, sha256 } from "../../server/auth";
import { createContext } from "../../server/context";
import type { ServerContext, ServerOptions } from "../../server/context";
import { ROLES } from "../../engine/index";
import type { Role } from "../../engine/index";
import { hashPassword } from "../../server/auth";
import type { Store } from "../../engine/index";
import type { SqliteStore } from "../../engine/store/sqlite/store";

/** The embedded database under a test server's store, for tests that check rows directly. */
export const dbOf = (store: Store) => (store as SqliteStore).db;

export interface TestServer {
  ctx: ServerContext;
  app: Express;
  users: Record<Role, { id: string; email: string; password: string }>;
  /** A fresh session token for a role (sessions are created directly, no login round trip). */
  token(role: Role): string;
  writeKey: string;
  basic(key?: string): string;
  close(): Promise<void>;
}

export const PASSWORD = "correct horse battery";

export async function testServer(opts: Partial<ServerOptions> = {}): Promise<TestServer> {
  const ctx = await createContext({ dbFile: ":memory:", logLevel: "silent", kdfCost: 1024, ...opts });
  const app = createApp(ctx);
  const now = Date.now();
  const hash = await hashPassword(PASSWORD, 1024);
  const users = {} as TestServer["users"];
  for (const role of ROLES) {
    const id = randomUUID();
    const email = `${role}@example.com`;
    await ctx.srv.insertUser({
      id,
      email,
      name: role,
      role,
      passwordHash: hash,
      disabled: false,
      createdAt: now,
      updatedAt: now,
    });
    users[role] = { id, email, password: PASSWORD };
  }
  const writeKey = newWriteKey();
  await ctx.srv.insertKey({
    id: randomUUID(),
    name: "test",
    secretHash: sha256(writeKey),
    prefix: writeKey.slice(0, 7),
    createdBy: null,
    createdAt: now,
    revokedAt: null,
  });
  return {
    ctx,
    app,
    users,
    token(role) {
      const t = newToken();
      // The embedded store writes before its promise settles, so the token works at once.
      void ctx.srv.insertSession(sha256(t), users[role].id, Date.now(), Date.now() + 3_600_000);
      return t;
    },
    writeKey,
    basic: (key = writeKey) => `Basic ${Buffer.from(`${key}:`).toString("base64")}`,
    close: () => ctx.close(),
  };
}

export const ts = (ms = Date.now()): string => new Date(ms).toISOString();

/** A journey: manual or event trigger → wait → add_tag (an internal action, no address needed). */
export function simpleJourney(
  opts: { name?: string; trigger?: Record<string, unknown>; wait?: string } = {},
) {
  return {
    schemaVersion: 1,
    name: opts.name ?? "Test journey",
    settings: { reentry: { mode: "always" } },
    nodes: [
      { id: "t1", type: "trigger", position: { x: 0, y: 0 }, data: opts.trigger ?? { kind: "manual" } },
      {
        id: "w1",
        type: "wait",
        position: { x: 0, y: 100 },
        data: { kind: "duration", duration: opts.wait ?? "1h" },
      },
      {
        id: "a1",
        type: "action",
        position: { x: 0, y: 200 },
        data: { action: "add_tag", params: { tag: "done" } },
      },
    ],
    edges: [
      { id: "e1", source: "t1", target: "w1" },
      { id: "e2", source: "w1", target: "a1" },
    ],
  };
}

/** Counts of every table a rejected request must leave alone. */
export function snapshot(ctx: ServerContext): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of [
    "customers",
    "events",
    "journeys",
    "journey_versions",
    "runs",
    "steps",
    "outbox",
    "entries",
    "srv_users",
    "srv_write_keys",
    "srv_audit",
  ]) {
    out[t] = dbOf(ctx.store).prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${t}`).get()!.n;
  }
  out.journeyState = dbOf(ctx.store)
    .prepare<[], { n: number }>("SELECT count(*) AS n FROM journeys WHERE status != 'draft'")
    .get()!.n;
  out.revokedKeys = dbOf(ctx.store)
    .prepare<[], { n: number }>("SELECT count(*) AS n FROM srv_write_keys WHERE revoked_at IS NOT NULL")
    .get()!.n;
  return out;
}

export { request };
