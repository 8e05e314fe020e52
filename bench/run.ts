// `npm run bench`: every part runs in its own process (so each peak RSS is its own), and the figures are
// printed as one JSON line, each beside the floor it is measured against in the same run.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const parts = (
  process.env.BENCH_PARTS ??
  "engine,lateness,rss,conditions,channels,customer,server,results,flow,history,postgres,overview"
).split(",");
const figures: Record<string, unknown> = { machine_cores: (await import("node:os")).availableParallelism() };
for (const part of parts) {
  const file = join(here, "parts", `${part}.ts`);
  if (!existsSync(file)) continue;
  process.stderr.write(`bench: ${part}…\n`);
  const started = Date.now();
  try {
    const out = execFileSync(process.execPath, ["--expose-gc", "--import", "tsx", file], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      maxBuffer: 1 << 24,
    });
    Object.assign(figures, JSON.parse(out.trim().split("\n").pop()!) as Record<string, unknown>);
  } catch (e) {
    figures[`${part}_error`] = (e as Error).message.split("\n")[0];
  }
  process.stderr.write(`bench: ${part} took ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
process.stdout.write(`${JSON.stringify(figures)}\n`);
