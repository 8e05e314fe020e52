import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: "./engine/store/sqlite/schema.ts",
  out: "./engine/store/sqlite/migrations",
});
