import { Command } from "commander";
import { modelCommand } from "../customer/model/fit-cli";
import { simulateCommand } from "./simulate-command";
import { validateCommand } from "./validate-command";

const program = new Command()
  .name("rekindle")
  .description("Rekindle: customer-lifecycle journeys (win-back, reactivation) on an embedded database")
  .showHelpAfterError();

simulateCommand(program);
validateCommand(program);
modelCommand(program);

await program.parseAsync(process.argv);
