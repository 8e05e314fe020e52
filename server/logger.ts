/**
 * The server's logger: human-readable lines on a terminal, one JSON object per line when the output is piped
 * or collected (a log shipper, `> file`), as pino writes them. `LOG_FORMAT=json|pretty` overrides the guess.
 */
import pino from "pino";
import type { DestinationStream, Logger } from "pino";
import pretty from "pino-pretty";

export type LogFormat = "json" | "pretty";

/** Pretty on a terminal, JSON otherwise; `LOG_FORMAT` wins when set to one of the two. */
export function logFormat(env: Record<string, string | undefined>, isTTY: boolean): LogFormat {
  const asked = env.LOG_FORMAT?.trim().toLowerCase();
  if (asked === "json" || asked === "pretty") return asked;
  return isTTY ? "pretty" : "json";
}

/** A stream that writes pino's records as short coloured lines: time, level, message, then the fields. */
export function prettyStream(destination?: NodeJS.WritableStream, colorize = true): DestinationStream {
  return pretty({
    // Synchronous, in this thread: a worker-thread transport would reorder log lines against the banner.
    sync: true,
    colorize,
    translateTime: "SYS:HH:MM:ss",
    ignore: "pid,hostname,app",
    singleLine: true,
    ...(destination ? { destination } : {}),
  });
}

export function createLogger(
  level: string,
  opts: { format?: LogFormat; destination?: NodeJS.WritableStream } = {},
): Logger {
  const format = opts.format ?? logFormat(process.env, process.stdout.isTTY === true);
  const options = { level, base: { app: "rekindle" } };
  if (format === "pretty")
    return pino(options, prettyStream(opts.destination, opts.destination === undefined));
  return opts.destination ? pino(options, opts.destination as DestinationStream) : pino(options);
}
