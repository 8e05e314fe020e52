import { inputEventSchema } from "../schema/events";
import type { InputEvent } from "../schema/events";
import { formatPath } from "../schema/issues";

export class EventFileError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = "EventFileError";
  }
}

/**
 * Parses NDJSON events (spec §2). Every line is checked; the first bad one is reported with its number.
 * The result is in application order: by timestamp, then by position in the file.
 */
export function parseEventLines(text: string): InputEvent[] {
  const out: { e: InputEvent; ts: number; i: number }[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === "") continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (e) {
      throw new EventFileError(i + 1, `not valid JSON (${(e as Error).message})`);
    }
    const parsed = inputEventSchema.safeParse(json);
    if (!parsed.success) {
      const first = parsed.error.issues[0]!;
      const where = formatPath(first.path);
      throw new EventFileError(i + 1, where ? `${where}: ${first.message}` : first.message);
    }
    out.push({ e: parsed.data, ts: Date.parse(parsed.data.timestamp), i });
  }
  out.sort((a, b) => a.ts - b.ts || a.i - b.i);
  return out.map((x) => x.e);
}
