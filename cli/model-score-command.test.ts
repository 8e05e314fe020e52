import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { createRng } from "../engine/customer/model/random";
import { simulateCustomer } from "../engine/customer/model/simulate";
import { modelCommand } from "./model-command";

const dir = mkdtempSync(join(tmpdir(), "rekindle-score-cli-"));
const sink = (): { write: (s: string) => boolean; text: () => string } => {
  let buf = "";
  return { write: (s: string) => ((buf += s), true), text: () => buf };
};

/** 1,500 simulated customers from 2024-01-01 to 2024-12-31. */
const orders = join(dir, "orders.csv");
{
  const rng = createRng(4);
  const lines = ["customer_id,date,revenue"];
  const start = Date.UTC(2024, 0, 1);
  for (let i = 0; i < 1500; i++) {
    const first = Math.floor(rng.next() * 150);
    const c = simulateCustomer(rng, { r: 0.5, alpha: 20, a: 0.8, b: 3 }, 365 - first, {
      p: 5,
      q: 4,
      gamma: 60,
    });
    for (const [k, t] of [0, ...c.times].entries()) {
      const date = new Date(start + (first + Math.floor(t)) * 86_400_000).toISOString().slice(0, 10);
      lines.push(`u${i},${date},${(c.values[k] ?? 1).toFixed(2)}`);
    }
  }
  writeFileSync(orders, lines.join("\n") + "\n");
}

describe("rekindle model score / evaluate (command line)", () => {
  it("score writes the CSV and a JSON summary; a bad date exits 1 naming it", async () => {
    const program = new Command().exitOverride();
    const stdout = sink();
    const stderr = sink();
    modelCommand(program, { stdout, stderr });
    process.exitCode = 0;
    const out = join(dir, "s.csv");
    await program.parseAsync(["model", "score", "--orders", orders, "--as-of", "2024-09-30", "--out", out], {
      from: "user",
    });
    expect(process.exitCode).toBe(0);
    expect(JSON.parse(stdout.text())).toMatchObject({ asOf: "2024-09-30T23:59:59.999Z", horizonDays: 90 });
    expect(readFileSync(out, "utf8").split("\n")[0]).toMatch(
      /^customer_id,churn_risk,p_alive,expected_orders,expected_value,clv,stage,rfm_segment(,|$)/,
    );
    await program.parseAsync(
      ["model", "score", "--orders", orders, "--as-of", "30/09/2024", "--out", join(dir, "x.csv")],
      { from: "user" },
    );
    expect(process.exitCode).toBe(1);
    expect(stderr.text()).toMatch(/rekindle model score: bad as-of date "30\/09\/2024"/);
    process.exitCode = 0;
  });

  it("evaluate prints the tables, or JSON with --json", async () => {
    const program = new Command().exitOverride();
    const stdout = sink();
    modelCommand(program, { stdout, stderr: sink() });
    process.exitCode = 0;
    await program.parseAsync(
      ["model", "evaluate", "--orders", orders, "--as-of", "2024-09-30", "--horizon", "12w"],
      {
        from: "user",
      },
    );
    expect(process.exitCode).toBe(0);
    expect(stdout.text()).toMatch(/^cut 2024-09-30, horizon 84 days: \d+ customers/);
    expect(stdout.text()).toMatch(/churnRisk +\| 0\.\d{3}/);
    expect(stdout.text()).toMatch(/past spend +\| /);
  });
});
