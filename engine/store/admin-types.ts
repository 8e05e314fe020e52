/**
 * The administrative part of the store: users, sessions, write keys, the audit log and settings. Async like
 * `Store`, so a PostgreSQL implementation can serve it too; the embedded one lives in `sqlite/admin/`.
 */

import type { Role } from "../schema/roles";

export { ROLES } from "../schema/roles";
export type { Role } from "../schema/roles";

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

export interface AdminStore {
  // users (emails are compared lower-cased)
  getUser(id: string): Promise<UserRow | undefined>;
  userByEmail(email: string): Promise<UserRow | undefined>;
  listUsers(): Promise<UserRow[]>;
  countUsers(): Promise<number>;
  insertUser(u: UserRow): Promise<void>;
  updateUser(u: UserRow): Promise<void>;

  // sessions, stored by the hash of their token
  insertSession(tokenHash: string, userId: string, now: number, expiresAt: number): Promise<void>;
  /** The user of an unexpired session, or undefined. */
  session(tokenHash: string, now: number): Promise<string | undefined>;
  deleteSession(tokenHash: string): Promise<void>;
  deleteUserSessions(userId: string): Promise<void>;
  /** Deletes expired sessions; returns how many. */
  purgeSessions(now: number): Promise<number>;

  // write keys, stored by the hash of their secret
  listKeys(): Promise<WriteKeyRow[]>;
  getKey(id: string): Promise<WriteKeyRow | undefined>;
  /** An unrevoked key by the hash of its secret. */
  keyBySecretHash(hash: string): Promise<WriteKeyRow | undefined>;
  insertKey(k: WriteKeyRow): Promise<void>;
  /** False when the key is unknown or revoked already. */
  revokeKey(id: string, at: number): Promise<boolean>;

  // audit log
  audit(
    at: number,
    userId: string | null,
    action: string,
    target: string | null,
    detail: unknown,
  ): Promise<void>;
  /** Newest first, ids below `before`. */
  listAudit(before: number | undefined, limit: number): Promise<AuditRow[]>;

  // settings of the server (unsubscribe secret, demo bookkeeping)
  getMeta(key: string): Promise<string | undefined>;
  setMeta(key: string, value: string): Promise<void>;
}
