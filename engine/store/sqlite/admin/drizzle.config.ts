import { defineConfig } from "drizzle-kit";

// The administrative tables (users, sessions, write keys, audit, settings) keep their own migrations table,
// `__srv_migrations`, as databases created before they moved under engine/store expect.
export default defineConfig({
  dialect: "sqlite",
  schema: "./engine/store/sqlite/admin/schema.ts",
  out: "./engine/store/sqlite/admin/migrations",
  migrations: { table: "__srv_migrations" },
});
