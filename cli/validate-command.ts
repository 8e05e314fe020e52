import type { Command } from "commander";
import { defaultRegistry } from "../engine/index";
import { formatIssue } from "../engine/schema/issues";
import { langFrom } from "../engine/schema/messages";
import { validateJourney } from "../engine/schema/validate";
import { readJsonFile } from "./read-journey";
import { builtinTemplates } from "./templates";

export function validateCommand(program: Command): void {
  program
    .command("validate")
    .description("check journey documents as publishing would; one line per issue")
    .argument("<files...>", "journey documents")
    .option("--lang <lang>", "language of the issues: en or zh (default: from LANG, else en)")
    .action((files: string[], flags: { lang?: string }) => {
      const lang = langFrom(flags.lang, process.env);
      const registry = defaultRegistry();
      const templates = builtinTemplates();
      let bad = 0;
      for (const file of files) {
        try {
          const result = validateJourney(readJsonFile(file), { actions: registry.info, templates });
          if (result.ok) {
            process.stdout.write(`${file}: ok\n`);
          } else {
            bad++;
            for (const issue of result.issues) process.stderr.write(`${file}: ${formatIssue(issue, lang)}\n`);
          }
        } catch (e) {
          bad++;
          process.stderr.write(`${(e as Error).message}\n`);
        }
      }
      if (bad > 0) process.exitCode = 1;
    });
}
