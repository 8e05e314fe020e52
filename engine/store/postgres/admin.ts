import type pg from "pg";
import type { AdminStore, AuditRow, Role, UserRow, WriteKeyRow } from "../admin-types";
import { j } from "./codec";
import { one, prepared, rows, run } from "./connect";

/** The server's tables (srv_*) on PostgreSQL: users, sessions, write keys, audit log, settings. */

interface UserRecord {
  id: string;
  email: string;
  name: string;
  role: string;
  password_hash: string;
  disabled: boolean;
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
  disabled: r.disabled,
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

const S = {
  userById: prepared("SELECT * FROM srv_users WHERE id = $1"),
  userByEmail: prepared("SELECT * FROM srv_users WHERE email = $1"),
  users: prepared("SELECT * FROM srv_users ORDER BY created_at, id"),
  countUsers: prepared("SELECT count(*) AS n FROM srv_users"),
  insertUser: prepared(
    "INSERT INTO srv_users (id, email, name, role, password_hash, disabled, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
  ),
  updateUser: prepared(
    "UPDATE srv_users SET email = $2, name = $3, role = $4, password_hash = $5, disabled = $6, updated_at = $7 WHERE id = $1",
  ),
  insertSession: prepared(
    "INSERT INTO srv_sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
  ),
  session: prepared("SELECT user_id, expires_at FROM srv_sessions WHERE token_hash = $1"),
  deleteSession: prepared("DELETE FROM srv_sessions WHERE token_hash = $1"),
  deleteUserSessions: prepared("DELETE FROM srv_sessions WHERE user_id = $1"),
  purgeSessions: prepared("DELETE FROM srv_sessions WHERE expires_at < $1"),
  keys: prepared("SELECT * FROM srv_write_keys ORDER BY created_at, id"),
  keyById: prepared("SELECT * FROM srv_write_keys WHERE id = $1"),
  keyBySecret: prepared("SELECT * FROM srv_write_keys WHERE secret_hash = $1 AND revoked_at IS NULL"),
  insertKey: prepared(
    "INSERT INTO srv_write_keys (id, name, secret_hash, prefix, created_by, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, NULL)",
  ),
  revokeKey: prepared("UPDATE srv_write_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL"),
  insertAudit: prepared(
    "INSERT INTO srv_audit (at, user_id, action, target, detail) VALUES ($1, $2, $3, $4, $5)",
  ),
  audit: prepared("SELECT * FROM srv_audit WHERE id < $1 ORDER BY id DESC LIMIT $2"),
  getMeta: prepared("SELECT value FROM srv_meta WHERE key = $1"),
  setMeta: prepared(
    "INSERT INTO srv_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
  ),
};

export class PostgresAdminStore implements AdminStore {
  constructor(private readonly pool: pg.Pool) {}

  async getUser(id: string): Promise<UserRow | undefined> {
    const r = await one<UserRecord>(this.pool, S.userById, [id]);
    return r ? decodeUser(r) : undefined;
  }
  async userByEmail(email: string): Promise<UserRow | undefined> {
    const r = await one<UserRecord>(this.pool, S.userByEmail, [email.toLowerCase()]);
    return r ? decodeUser(r) : undefined;
  }
  async listUsers(): Promise<UserRow[]> {
    return (await rows<UserRecord>(this.pool, S.users)).map(decodeUser);
  }
  async countUsers(): Promise<number> {
    return (await one<{ n: number }>(this.pool, S.countUsers))?.n ?? 0;
  }
  async insertUser(u: UserRow): Promise<void> {
    await run(this.pool, S.insertUser, [
      u.id,
      u.email.toLowerCase(),
      u.name,
      u.role,
      u.passwordHash,
      u.disabled,
      u.createdAt,
      u.updatedAt,
    ]);
  }
  async updateUser(u: UserRow): Promise<void> {
    await run(this.pool, S.updateUser, [
      u.id,
      u.email.toLowerCase(),
      u.name,
      u.role,
      u.passwordHash,
      u.disabled,
      u.updatedAt,
    ]);
  }

  async insertSession(tokenHash: string, userId: string, now: number, expiresAt: number): Promise<void> {
    await run(this.pool, S.insertSession, [tokenHash, userId, now, expiresAt]);
  }
  async session(tokenHash: string, now: number): Promise<string | undefined> {
    const r = await one<{ user_id: string; expires_at: number }>(this.pool, S.session, [tokenHash]);
    return r && r.expires_at > now ? r.user_id : undefined;
  }
  async deleteSession(tokenHash: string): Promise<void> {
    await run(this.pool, S.deleteSession, [tokenHash]);
  }
  async deleteUserSessions(userId: string): Promise<void> {
    await run(this.pool, S.deleteUserSessions, [userId]);
  }
  purgeSessions(now: number): Promise<number> {
    return run(this.pool, S.purgeSessions, [now]);
  }

  async listKeys(): Promise<WriteKeyRow[]> {
    return (await rows<KeyRecord>(this.pool, S.keys)).map(decodeKey);
  }
  async getKey(id: string): Promise<WriteKeyRow | undefined> {
    const r = await one<KeyRecord>(this.pool, S.keyById, [id]);
    return r ? decodeKey(r) : undefined;
  }
  async keyBySecretHash(hash: string): Promise<WriteKeyRow | undefined> {
    const r = await one<KeyRecord>(this.pool, S.keyBySecret, [hash]);
    return r ? decodeKey(r) : undefined;
  }
  async insertKey(k: WriteKeyRow): Promise<void> {
    await run(this.pool, S.insertKey, [k.id, k.name, k.secretHash, k.prefix, k.createdBy, k.createdAt]);
  }
  async revokeKey(id: string, at: number): Promise<boolean> {
    return (await run(this.pool, S.revokeKey, [at, id])) > 0;
  }

  async audit(
    at: number,
    userId: string | null,
    action: string,
    target: string | null,
    detail: unknown,
  ): Promise<void> {
    await run(this.pool, S.insertAudit, [at, userId, action, target, j(detail)]);
  }
  async listAudit(before: number | undefined, limit: number): Promise<AuditRow[]> {
    const found = await rows<{
      id: number;
      at: number;
      user_id: string | null;
      action: string;
      target: string | null;
      detail: unknown;
    }>(this.pool, S.audit, [before ?? Number.MAX_SAFE_INTEGER, limit]);
    return found.map((r) => ({
      id: r.id,
      at: r.at,
      userId: r.user_id,
      action: r.action,
      target: r.target,
      detail: r.detail ?? null,
    }));
  }

  async getMeta(key: string): Promise<string | undefined> {
    return (await one<{ value: string }>(this.pool, S.getMeta, [key]))?.value;
  }
  async setMeta(key: string, value: string): Promise<void> {
    await run(this.pool, S.setMeta, [key, value]);
  }
}
