import { defineConfig } from "drizzle-kit";

// PostgreSQL migrations: `npx drizzle-kit generate --config engine/store/postgres/drizzle.config.ts`.
export default defineConfig({
  dialect: "postgresql",
  schema: "./engine/store/postgres/schema.ts",
  out: "./engine/store/postgres/migrations",
});
