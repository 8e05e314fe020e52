import { Command, CommanderError } from "commander";
import { importCommand } from "../../cli/import-command";
import { modelCommand } from "../../cli/model-command";
import { simulateCommand } from "../../cli/simulate-command";
import { validateCommand } from "../../cli/validate-command";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** Set when the command threw something the real CLI would print as a stack trace. */
  crash?: unknown;
}

/**
 * Runs `rekindle <args>` in this process: the same commander commands as bin/rekindle.js (minus `start`),
 * with standard output and error captured and the exit code read from `process.exitCode` or commander's
 * exit. Spawning node per case costs seconds; this costs milliseconds, so generated cases can be many.
 */
export async function rekindleInProcess(args: readonly string[]): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const program = new Command()
    .name("rekindle")
    .exitOverride()
    .configureOutput({ writeOut: (s) => (stdout += s), writeErr: (s) => (stderr += s) });
  simulateCommand(program);
  validateCommand(program);
  modelCommand(program, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  importCommand(program);
  for (const c of program.commands)
    exitOverrideDeep(
      c,
      (s) => (stdout += s),
      (s) => (stderr += s),
    );

  const realOut = process.stdout.write.bind(process.stdout);
  const realErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = (chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  };
  process.stderr.write = (chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  };
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    await program.parseAsync(["node", "rekindle", ...args]);
    return { code: Number(process.exitCode ?? 0), stdout, stderr };
  } catch (e) {
    if (e instanceof CommanderError) return { code: e.exitCode, stdout, stderr };
    return { code: 1, stdout, stderr, crash: e };
  } finally {
    process.exitCode = before;
    process.stdout.write = realOut;
    process.stderr.write = realErr;
  }
}

function exitOverrideDeep(c: Command, out: (s: string) => void, err: (s: string) => void): void {
  c.exitOverride().configureOutput({ writeOut: out, writeErr: err });
  for (const sub of c.commands) exitOverrideDeep(sub, out, err);
}
