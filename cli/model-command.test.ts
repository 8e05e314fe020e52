import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { createRng } from "../engine/customer/model/random";
import { simulateCustomer } from "../engine/customer/model/simulate";
import { modelCommand } from "./model-command";

const dir = mkdtempSync(join(tmpdir(), "rekindle-model-cli-"));
const sink = (): { write: (s: string) => boolean; text: () => string } => {
  let buf = "";
  return { write: (s: string) => ((buf += s), true), text: () => buf };
};

/** A CSV of simulated orders (dates from 2024-01-01), 1,500 customers, weekly-ish purchase rates. */
function simulatedCsv(): string {
  const rng = createRng(7);
  const lines = ["customer_id,date,revenue"];
  const start = Date.UTC(2024, 0, 1);
  for (let i = 0; i < 1500; i++) {
    const first = Math.floor(rng.next() * 60);
    const c = simulateCustomer(rng, { r: 0.5, alpha: 20, a: 0.8, b: 3 }, 300 - first, {
      p: 5,
      q: 4,
      gamma: 60,
    });
    for (const [k, t] of [0, ...c.times].entries()) {
      const date = new Date(start + (first + Math.floor(t)) * 86_400_000).toISOString().slice(0, 10);
      lines.push(`u${i},${date},${(c.values[k] ?? 1).toFixed(2)}`);
    }
  }
  return lines.join("\n") + "\n";
}
writeFileSync(join(dir, "a.csv"), simulatedCsv());

describe("rekindle model fit (command line)", () => {
  it("mounts on commander: JSON on stdout, logs on stderr, exit code 1 with a message on bad input", async () => {
    const out = sink();
    const err = sink();
    const program = new Command().exitOverride();
    modelCommand(program, { stdout: out, stderr: err });
    await program.parseAsync(
      ["model", "fit", "--orders", join(dir, "a.csv"), "--unit", "week", "--calibration-end", "2024-06-30"],
      { from: "user" },
    );
    const parsed = JSON.parse(out.text()) as { customers: number };
    expect(out.text().trim().split("\n")).toHaveLength(1);
    expect(parsed.customers).toBe(1500);
    expect(err.text()).toMatch(/calibration to 2024-06-30/);

    const out2 = sink();
    const err2 = sink();
    const p2 = new Command().exitOverride();
    modelCommand(p2, { stdout: out2, stderr: err2 });
    const before = process.exitCode;
    await p2.parseAsync(["model", "fit", "--orders", join(dir, "a.csv"), "--unit", "month"], {
      from: "user",
    });
    expect(out2.text()).toBe("");
    expect(err2.text()).toMatch(/bad --unit "month"/);
    expect(process.exitCode).toBe(1);
    process.exitCode = before;
  });
});
