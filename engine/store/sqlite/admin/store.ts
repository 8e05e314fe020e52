import type Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { AdminStore, AuditRow, Role, UserRow, WriteKeyRow } from "../../admin-types";

const MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), "migrations");

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
 * The administrative tables (srv_*) in the engine's SQLite file: users, sessions, write keys, audit log,
 * settings. Migrated with drizzle into their own migrations table, so they evolve apart from the engine's.
 */
export class SqliteAdminStore implements AdminStore {
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
  getUser(id: string): Promise<UserRow | undefined> {
    const r = this.s.userById.get(id);
    return Promise.resolve(r ? decodeUser(r) : undefined);
  }
  userByEmail(email: string): Promise<UserRow | undefined> {
    const r = this.s.userByEmail.get(email.toLowerCase());
    return Promise.resolve(r ? decodeUser(r) : undefined);
  }
  listUsers(): Promise<UserRow[]> {
    return Promise.resolve(this.s.users.all().map(decodeUser));
  }
  countUsers(): Promise<number> {
    return Promise.resolve(this.s.countUsers.get()?.n ?? 0);
  }
  insertUser(u: UserRow): Promise<void> {
    this.s.insertUser.run({ ...u, email: u.email.toLowerCase(), disabled: u.disabled ? 1 : 0 });
    return Promise.resolve();
  }
  updateUser(u: UserRow): Promise<void> {
    this.s.updateUser.run({ ...u, email: u.email.toLowerCase(), disabled: u.disabled ? 1 : 0 });
    return Promise.resolve();
  }

  // ---- sessions ----
  insertSession(tokenHash: string, userId: string, now: number, expiresAt: number): Promise<void> {
    this.s.insertSession.run(tokenHash, userId, now, expiresAt);
    return Promise.resolve();
  }
  session(tokenHash: string, now: number): Promise<string | undefined> {
    const r = this.s.session.get(tokenHash);
    return Promise.resolve(r && r.expires_at > now ? r.user_id : undefined);
  }
  deleteSession(tokenHash: string): Promise<void> {
    this.s.deleteSession.run(tokenHash);
    return Promise.resolve();
  }
  deleteUserSessions(userId: string): Promise<void> {
    this.s.deleteUserSessions.run(userId);
    return Promise.resolve();
  }
  purgeSessions(now: number): Promise<number> {
    return Promise.resolve(this.s.purgeSessions.run(now).changes);
  }

  // ---- write keys ----
  listKeys(): Promise<WriteKeyRow[]> {
    return Promise.resolve(this.s.keys.all().map(decodeKey));
  }
  getKey(id: string): Promise<WriteKeyRow | undefined> {
    const r = this.s.keyById.get(id);
    return Promise.resolve(r ? decodeKey(r) : undefined);
  }
  keyBySecretHash(hash: string): Promise<WriteKeyRow | undefined> {
    const r = this.s.keyBySecret.get(hash);
    return Promise.resolve(r ? decodeKey(r) : undefined);
  }
  insertKey(k: WriteKeyRow): Promise<void> {
    this.s.insertKey.run(k);
    return Promise.resolve();
  }
  revokeKey(id: string, at: number): Promise<boolean> {
    return Promise.resolve(this.s.revokeKey.run(at, id).changes > 0);
  }

  // ---- audit ----
  audit(
    at: number,
    userId: string | null,
    action: string,
    target: string | null,
    detail: unknown,
  ): Promise<void> {
    this.s.insertAudit.run(at, userId, action, target, detail === undefined ? null : JSON.stringify(detail));
    return Promise.resolve();
  }
  listAudit(before: number | undefined, limit: number): Promise<AuditRow[]> {
    const rows = this.s.audit.all(before ?? Number.MAX_SAFE_INTEGER, limit).map((r) => ({
      id: r.id,
      at: r.at,
      userId: r.user_id,
      action: r.action,
      target: r.target,
      detail: r.detail === null ? null : (JSON.parse(r.detail) as unknown),
    }));
    return Promise.resolve(rows);
  }

  // ---- meta ----
  getMeta(key: string): Promise<string | undefined> {
    return Promise.resolve(this.s.getMeta.get(key)?.value);
  }
  setMeta(key: string, value: string): Promise<void> {
    this.s.setMeta.run(key, value);
    return Promise.resolve();
  }
}
