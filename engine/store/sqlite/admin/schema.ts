import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

// Server-owned tables (users, sessions, write keys, audit log), prefixed `srv_`, in the engine's database
// file. Times are integer milliseconds since the epoch; JSON columns are text.

export const users = sqliteTable("srv_users", {
  id: text("id").primaryKey(),
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  role: text("role").notNull(),
  passwordHash: text("password_hash").notNull(),
  disabled: integer("disabled").notNull().default(0),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

export const sessions = sqliteTable(
  "srv_sessions",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: text("user_id").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("srv_sessions_user").on(t.userId)],
);

export const writeKeys = sqliteTable("srv_write_keys", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /** sha256 of the secret, hex: write keys are long random strings, so a fast hash is enough. */
  secretHash: text("secret_hash").notNull().unique(),
  /** The first characters of the secret, to recognise a key in the list. */
  prefix: text("prefix").notNull(),
  createdBy: text("created_by"),
  createdAt: integer("created_at").notNull(),
  revokedAt: integer("revoked_at"),
});

export const audit = sqliteTable(
  "srv_audit",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: integer("at").notNull(),
    userId: text("user_id"),
    action: text("action").notNull(),
    target: text("target"),
    detail: text("detail"),
  },
  (t) => [index("srv_audit_at").on(t.at)],
);

export const meta = sqliteTable("srv_meta", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});
