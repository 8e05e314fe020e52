import type { Command } from "commander";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { copySqliteFileToPostgres, migratePostgresDatabase } from "../engine/index";

/** `rekindle migrate` and `rekindle copy-store`: set up a PostgreSQL database and move an installation to it. */
export function postgresCommands(program: Command): void {
  program
    .command("migrate")
    .description("apply this version's schema migrations to a PostgreSQL database")
    .requiredOption("--database <url>", "PostgreSQL URL (postgres://user:password@host:port/database)")
    .action(async (flags: { database: string }) => {
      await migratePostgresDatabase(flags.database);
      process.stdout.write("migrated: the database schema is current\n");
    });

  program
    .command("copy-store")
    .description("copy an embedded (SQLite) installation into a migrated, empty PostgreSQL database")
    .option("--from <dir>", "data directory of the installation (as for `rekindle start --data`)", "./data")
    .requiredOption(
      "--to <url>",
      "PostgreSQL URL of the target database (run `rekindle migrate` on it first)",
    )
    .action(async (flags: { from: string; to: string }) => {
      const file = join(resolve(flags.from), "rekindle.db");
      if (!existsSync(file)) throw new CliUsageError(`no Rekindle database at ${file}`);
      const report = await copySqliteFileToPostgres(file, flags.to);
      const total = report.tables.reduce((n, t) => n + t.rows, 0);
      for (const t of report.tables) process.stdout.write(`${t.table.padEnd(20)} ${t.rows}\n`);
      process.stdout.write(`copied ${total} rows in ${report.tables.length} tables; row counts match\n`);
    });
}

export class CliUsageError extends Error {
  override readonly name = "CliUsageError";
}
