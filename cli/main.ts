import { Command } from "commander";
import {
  CopyStoreError,
  DatabaseLockedError,
  PostgresConnectError,
  SchemaOutdatedError,
} from "../engine/index";
import { importCommand } from "./import-command";
import { modelCommand } from "./model-command";
import { CliUsageError, postgresCommands } from "./postgres-commands";
import { resultsCommand } from "./results-command";
import { simulateCommand } from "./simulate-command";
import { serveCommand } from "./start-command";
import { validateCommand } from "./validate-command";

// The product entry (bin/rekindle.js): the engine's commands plus `start` (the server). The command line
// reaches the engine through engine/index only; the engine imports neither the server nor the command line.
const program = new Command()
  .name("rekindle")
  .description("Rekindle: customer-lifecycle journeys (win-back, reactivation) on an embedded database")
  .showHelpAfterError();

simulateCommand(program);
validateCommand(program);
modelCommand(program);
importCommand(program);
resultsCommand(program);
serveCommand(program);
postgresCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  // A second engine on a live database: say who holds it, without a stack trace.
  if (e instanceof DatabaseLockedError) {
    process.stderr.write(`error: ${e.message}\n`);
    process.exit(2);
  }
  // A database that cannot be reached, an old schema, a refused copy: the message says what and where.
  const known = [PostgresConnectError, SchemaOutdatedError, CopyStoreError, CliUsageError];
  if (!known.some((k) => e instanceof k)) throw e;
  process.stderr.write(`error: ${(e as Error).message}\n`);
  process.exit(1);
}
