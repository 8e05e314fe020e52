import { benchConditions } from "../../engine/conditions/bench";

const r = await benchConditions({ durationMs: 1500 });
process.stdout.write(
  JSON.stringify({
    conditions_compiled_evals_per_sec: Math.round(r.compiledEvaluate),
    conditions_jre_evals_per_sec: Math.round(r.jreReusedEngine),
  }),
);
