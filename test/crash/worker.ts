// Runs the engine over a prepared database until no work is left, announcing each batch so the test can
// SIGKILL it in the middle of one. Usage: node --import tsx test/crash/worker.ts DB START_MS
import { defaultRegistry } from "../../engine/actions/builtins";
import { ManualClock } from "../../engine/runtime/clock";
import { Engine } from "../../engine/runtime/engine";
import { SqliteStore } from "../../engine/store/sqlite/store";
import { lifecycleModel } from "../../engine/customer/engine-model";

const [file, startArg] = process.argv.slice(2);
const clock = new ManualClock(Number(startArg));
const engine = await Engine.open({
  model: lifecycleModel(),
  store: SqliteStore.open(file!),
  clock,
  registry: defaultRegistry(),
});
const say = (line: string): void => void process.stdout.write(`${line}\n`);
say("ready");
for (let batch = 0; ; batch++) {
  say(`begin ${batch}`);
  const advanced = await engine.tick(200);
  const dispatched = await engine.dispatch(200, 32);
  say(`end ${batch}`);
  if (advanced > 0 || dispatched > 0) continue;
  const next = await engine.nextDueAt();
  if (next === null) break;
  clock.set(Math.max(clock.now(), next));
}
await engine.close();
say("done");
