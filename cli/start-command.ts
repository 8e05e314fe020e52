import type { Command } from "commander";
import { InvalidArgumentError, Option } from "commander";
import { PROCESS_ROLES, startServer, StartOptionsError } from "../server/main";
import type { ProcessRole } from "../server/main";
import { CliUsageError } from "./postgres-commands";

const int = (name: string, min: number, max: number) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}`);
  return n;
};

interface StartFlags {
  port: number;
  data: string;
  host: string;
  demo: boolean;
  demoCustomers: number;
  database?: string;
  role: ProcessRole;
}

/**
 * `rekindle start`: the server, scheduler and builder UI in one process on the embedded database, or, with
 * `--database postgres://…`, one of several processes sharing PostgreSQL (`--role api|worker|all`).
 */
export function serveCommand(program: Command): void {
  program
    .command("start")
    .description(
      "start the server (API, ingestion, scheduler and builder UI) on an embedded database, or on PostgreSQL as an API server or engine worker",
    )
    .option("--port <port>", "HTTP port (0 picks a free one)", int("--port", 0, 65535), 3000)
    .option("--data <dir>", "data directory (SQLite database)", "./data")
    .option(
      "--database <url>",
      "PostgreSQL URL (postgres://user:password@host:port/database) instead of the embedded database; run `rekindle migrate` first",
    )
    .addOption(
      new Option(
        "--role <role>",
        "what this process runs: api (HTTP ingestion and builder), worker (scheduler and dispatcher, /healthz only) or all; api and worker need --database",
      )
        .choices(PROCESS_ROLES)
        .default("all"),
    )
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--no-demo", "do not load the demo on first start")
    .option(
      "--demo-customers <n>",
      "demo customers on first start",
      int("--demo-customers", 1, 1_000_000),
      2000,
    )
    .action(async (flags: StartFlags) => {
      const running = await startServer({
        dataDir: flags.data,
        ...(flags.database ? { database: flags.database } : {}),
        role: flags.role,
        port: flags.port,
        host: flags.host,
        demo: flags.demo,
        demoCustomers: flags.demoCustomers,
      }).catch((e: unknown) => {
        // A role the embedded store cannot take: the message says why, without a stack trace.
        throw e instanceof StartOptionsError ? new CliUsageError(e.message) : e;
      });
      let stopping = false;
      const stop = (signal: string): void => {
        if (stopping) return;
        stopping = true;
        running.ctx.log.info({ signal }, "signal received");
        running.close().then(
          () => process.exit(0),
          (err: unknown) => {
            running.ctx.log.error({ err }, "shutdown failed");
            process.exit(1);
          },
        );
      };
      process.on("SIGINT", () => stop("SIGINT"));
      process.on("SIGTERM", () => stop("SIGTERM"));
    });
}
