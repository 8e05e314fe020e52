import type Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), "migrations");

export const ROLES = ["admin", "marketer", "ops", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
  disabled: boolean;
  createdAt: number;
  updatedAt: number;
}
export interface WriteKeyRow {
  id: string;
  name: string;
  secretHash: string;
  prefix: string;
  createdBy: string | null;
  createdAt: number;
  revokedAt: number | null;
}
export interface AuditRow {
  id: number;
  at: number;
  userId: string | null;
  action: string;
  target: string | null;
  detail: unknown;
}
export interface CustomerListRow {
  id: string;
  traits: Record<string, unknown>;
  state: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

interface UserRecord {
  id: string;
  email: string;
  name: string;
  role: string;
  password_hash: string;
  disabled: number;
  created_at: number;
  updated_at: number;
}
interface KeyRecord {
  id: string;
  name: string;
  secret_hash: string;
  prefix: string;
  created_by: string | null;
  created_at: number;
  revoked_at: number | null;
}

const decodeUser = (r: UserRecord): UserRow => ({
  id: r.id,
  email: r.email,
  name: r.name,
  role: r.role as Role,
  passwordHash: r.password_hash,
  disabled: r.disabled !== 0,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
const decodeKey = (r: KeyRecord): WriteKeyRow => ({
  id: r.id,
  name: r.name,
  secretHash: r.secret_hash,
  prefix: r.prefix,
  createdBy: r.created_by,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});

/**
 * The server's own tables (srv_*) in the engine's SQLite file: users, sessions, write keys, audit log, and
 * read-only queries over the engine's customers table that the engine's Store does not offer (search).
 * Migrated with drizzle into its own migrations table, so engine and server schemas evolve independently.
 */
export class ServerStore {
  private readonly s;

  constructor(readonly db: Database.Database) {
    migrate(drizzle(db), { migrationsFolder: MIGRATIONS, migrationsTable: "__srv_migrations" });
    const p = <T = unknown>(sql: string) => db.prepare<unknown[], T>(sql);
    this.s = {
      userById: p<UserRecord>("SELECT * FROM srv_users WHERE id = ?"),
      userByEmail: p<UserRecord>("SELECT * FROM srv_users WHERE email = ?"),
      users: p<UserRecord>("SELECT * FROM srv_users ORDER BY created_at, id"),
      countUsers: p<{ n: number }>("SELECT count(*) AS n FROM srv_users"),
      insertUser: p(
        "INSERT INTO srv_users (id, email, name, role, password_hash, disabled, created_at, updated_at) VALUES (@id, @email, @name, @role, @passwordHash, @disabled, @createdAt, @updatedAt)",
      ),
      updateUser: p(
        "UPDATE srv_users SET email = @email, name = @name, role = @role, password_hash = @passwordHash, disabled = @disabled, updated_at = @updatedAt WHERE id = @id",
      ),
      insertSession: p(
        "INSERT INTO srv_sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
      ),
      session: p<{ user_id: string; expires_at: number }>(
        "SELECT user_id, expires_at FROM srv_sessions WHERE token_hash = ?",
      ),
      deleteSession: p("DELETE FROM srv_sessions WHERE token_hash = ?"),
      deleteUserSessions: p("DELETE FROM srv_sessions WHERE user_id = ?"),
      purgeSessions: p("DELETE FROM srv_sessions WHERE expires_at < ?"),
      keys: p<KeyRecord>("SELECT * FROM srv_write_keys ORDER BY created_at, id"),
      keyById: p<KeyRecord>("SELECT * FROM srv_write_keys WHERE id = ?"),
      keyBySecret: p<KeyRecord>("SELECT * FROM srv_write_keys WHERE secret_hash = ? AND revoked_at IS NULL"),
      insertKey: p(
        "INSERT INTO srv_write_keys (id, name, secret_hash, prefix, created_by, created_at, revoked_at) VALUES (@id, @name, @secretHash, @prefix, @createdBy, @createdAt, NULL)",
      ),
      revokeKey: p("UPDATE srv_write_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL"),
      insertAudit: p("INSERT INTO srv_audit (at, user_id, action, target, detail) VALUES (?, ?, ?, ?, ?)"),
      audit: p<{
        id: number;
        at: number;
        user_id: string | null;
        action: string;
        target: string | null;
        detail: string | null;
      }>("SELECT * FROM srv_audit WHERE id < ? ORDER BY id DESC LIMIT ?"),
      getMeta: p<{ value: string }>("SELECT value FROM srv_meta WHERE key = ?"),
      setMeta: p(
        "INSERT INTO srv_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      ),
    };
  }

  // ---- users ----
  getUser(id: string): UserRow | undefined {
    const r = this.s.userById.get(id);
    return r ? decodeUser(r) : undefined;
  }
  userByEmail(email: string): UserRow | undefined {
    const r = this.s.userByEmail.get(email.toLowerCase());
    return r ? decodeUser(r) : undefined;
  }
  listUsers(): UserRow[] {
    return this.s.users.all().map(decodeUser);
  }
  countUsers(): number {
    return this.s.countUsers.get()?.n ?? 0;
  }
  insertUser(u: UserRow): void {
    this.s.insertUser.run({ ...u, email: u.email.toLowerCase(), disabled: u.disabled ? 1 : 0 });
  }
  updateUser(u: UserRow): void {
    this.s.updateUser.run({ ...u, email: u.email.toLowerCase(), disabled: u.disabled ? 1 : 0 });
  }

  // ---- sessions ----
  insertSession(tokenHash: string, userId: string, now: number, expiresAt: number): void {
    this.s.insertSession.run(tokenHash, userId, now, expiresAt);
  }
  session(tokenHash: string, now: number): string | undefined {
    const r = this.s.session.get(tokenHash);
    return r && r.expires_at > now ? r.user_id : undefined;
  }
  deleteSession(tokenHash: string): void {
    this.s.deleteSession.run(tokenHash);
  }
  deleteUserSessions(userId: string): void {
    this.s.deleteUserSessions.run(userId);
  }
  purgeSessions(now: number): number {
    return this.s.purgeSessions.run(now).changes;
  }

  // ---- write keys ----
  listKeys(): WriteKeyRow[] {
    return this.s.keys.all().map(decodeKey);
  }
  getKey(id: string): WriteKeyRow | undefined {
    const r = this.s.keyById.get(id);
    return r ? decodeKey(r) : undefined;
  }
  keyBySecretHash(hash: string): WriteKeyRow | undefined {
    const r = this.s.keyBySecret.get(hash);
    return r ? decodeKey(r) : undefined;
  }
  insertKey(k: WriteKeyRow): void {
    this.s.insertKey.run(k);
  }
  revokeKey(id: string, at: number): boolean {
    return this.s.revokeKey.run(at, id).changes > 0;
  }

  // ---- audit ----
  audit(at: number, userId: string | null, action: string, target: string | null, detail: unknown): void {
    this.s.insertAudit.run(at, userId, action, target, detail === undefined ? null : JSON.stringify(detail));
  }
  listAudit(before: number | undefined, limit: number): AuditRow[] {
    return this.s.audit.all(before ?? Number.MAX_SAFE_INTEGER, limit).map((r) => ({
      id: r.id,
      at: r.at,
      userId: r.user_id,
      action: r.action,
      target: r.target,
      detail: r.detail === null ? null : (JSON.parse(r.detail) as unknown),
    }));
  }

  // ---- meta ----
  getMeta(key: string): string | undefined {
    return this.s.getMeta.get(key)?.value;
  }
  setMeta(key: string, value: string): void {
    this.s.setMeta.run(key, value);
  }

  // ---- customers (read-only queries over the engine's table) ----
  /** Customers whose id, email, name or phone contains `q` (case-insensitive), by id after the cursor. */
  searchCustomers(q: string | undefined, after: string | undefined, limit: number): CustomerListRow[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (after !== undefined) {
      where.push("id > ?");
      params.push(after);
    }
    if (q !== undefined && q !== "") {
      const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push(
        "(id LIKE ? ESCAPE '\\' OR json_extract(traits, '$.email') LIKE ? ESCAPE '\\' OR json_extract(traits, '$.name') LIKE ? ESCAPE '\\' OR json_extract(traits, '$.phone') LIKE ? ESCAPE '\\')",
      );
      params.push(like, like, like, like);
    }
    params.push(limit);
    const rows = this.db
      .prepare<
        unknown[],
        { id: string; traits: string; state: string; created_at: number; updated_at: number }
      >(`SELECT * FROM customers ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id LIMIT ?`)
      .all(...params);
    return rows.map((r) => ({
      id: r.id,
      traits: JSON.parse(r.traits) as Record<string, unknown>,
      state: JSON.parse(r.state) as Record<string, unknown>,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }

  countCustomers(): number {
    return this.db.prepare<[], { n: number }>("SELECT count(*) AS n FROM customers").get()?.n ?? 0;
  }

  /** Run ids by outcome and port for per-journey statistics (SQL aggregates over the run log). */
  stepCounts(
    journeyId: string,
  ): { nodeId: string; outcome: string; port: string | null; n: number; visits: number }[] {
    return this.db
      .prepare<
        [string],
        { node_id: string; outcome: string; port: string | null; n: number; visits: number }
      >(
        "SELECT node_id, outcome, port, count(*) AS n, count(DISTINCT run_id || ':' || visit) AS visits FROM steps WHERE journey_id = ? GROUP BY node_id, outcome, port",
      )
      .all(journeyId)
      .map((r) => ({ nodeId: r.node_id, outcome: r.outcome, port: r.port, n: r.n, visits: r.visits }));
  }

  /** Per-node distinct visits (entered), from the run log. */
  nodeVisits(journeyId: string): Map<string, number> {
    const out = new Map<string, number>();
    for (const r of this.db
      .prepare<[string], { node_id: string; n: number }>(
        "SELECT node_id, count(*) AS n FROM (SELECT DISTINCT node_id, run_id, visit FROM steps WHERE journey_id = ?) GROUP BY node_id",
      )
      .all(journeyId))
      out.set(r.node_id, r.n);
    return out;
  }
}
