import { Command } from "commander";
import { modelCommand } from "../engine/customer/model/fit-cli";
import { simulateCommand } from "../engine/cli/simulate-command";
import { validateCommand } from "../engine/cli/validate-command";
import { importCommand } from "../engine/cli/import-command";
import { serveCommand } from "./cli";
import { DatabaseLockedError } from "../engine/store/sqlite/data-lock";

// The product entry (bin/rekindle.js): the engine's commands plus `start`. The engine never imports the server.
const program = new Command()
  .name("rekindle")
  .description("Rekindle: customer-lifecycle journeys (win-back, reactivation) on an embedded database")
  .showHelpAfterError();

simulateCommand(program);
validateCommand(program);
modelCommand(program);
importCommand(program);
serveCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  // A second engine on a live database: say who holds it, without a stack trace.
  if (!(e instanceof DatabaseLockedError)) throw e;
  process.stderr.write(`error: ${e.message}\n`);
  process.exit(2);
}
