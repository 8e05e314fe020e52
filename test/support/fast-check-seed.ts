import fc from "fast-check";

// Property tests run with a fixed seed so CI is reproducible; FC_SEED=<n> (or FC_SEED=random) explores others.
const env = process.env.FC_SEED;
if (env !== "random") fc.configureGlobal({ seed: env === undefined ? 20261122 : Number(env) });
