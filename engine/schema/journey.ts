import { z } from "zod";
import { topLevelConditionSchema } from "./conditions";
import { parseDuration } from "./duration";
import { HHMM_RE, isTimeZone, WEEKDAYS } from "./time";
import { cronProblem } from "./cron";

const quote = (v: unknown): string => JSON.stringify(v) ?? String(v);

export const durationSchema = z.string().refine((v) => parseDuration(v) !== null, {
  params: { code: "value.duration" },
  error: (iss) =>
    `bad duration ${quote(iss.input)}; use a whole number and a unit s, m, h, d or w (e.g. "72h")`,
});
export const hhmmSchema = z.string().regex(HHMM_RE, {
  error: (iss) => `bad time ${quote(iss.input)}; use 24-hour HH:MM (e.g. "09:00")`,
});
export const timezoneSchema = z.string().refine(isTimeZone, {
  params: { code: "value.timezone" },
  error: (iss) => `unknown timezone ${quote(iss.input)}; use an IANA name such as "Asia/Shanghai"`,
});
const eventName = z.string().min(1, { error: "an event name is required" });
const conditions = topLevelConditionSchema;

export const LIFECYCLE_STAGES = ["prospect", "new", "active", "dormant", "churned"] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

// ---- node data, one schema per node kind -------------------------------------------------------

export const eventTriggerSchema = z.looseObject({
  kind: z.literal("event"),
  event: eventName,
  where: conditions.optional(),
});
export const audienceTriggerSchema = z
  .looseObject({
    kind: z.literal("audience"),
    schedule: z.string(),
    timezone: timezoneSchema.optional(),
    conditions,
  })
  .superRefine((d, ctx) => {
    const problem = cronProblem(d.schedule);
    if (problem)
      ctx.addIssue({
        code: "custom",
        path: ["schedule"],
        message: problem,
        input: d.schedule,
        params: { code: "value.cron", reason: problem },
      });
  });
export const stageTriggerSchema = z.looseObject({
  kind: z.literal("stage"),
  to: z.enum(LIFECYCLE_STAGES, {
    error: (iss) => `unknown stage ${quote(iss.input)}; expected one of ${LIFECYCLE_STAGES.join(", ")}`,
  }),
});
export const manualTriggerSchema = z.looseObject({ kind: z.literal("manual") });

export const conditionDataSchema = z.looseObject({ conditions });

export const durationWaitSchema = z.looseObject({ kind: z.literal("duration"), duration: durationSchema });
export const untilWaitSchema = z.looseObject({
  kind: z.literal("until"),
  time: hhmmSchema,
  days: z
    .array(
      z.enum(WEEKDAYS, {
        error: (iss) => `unknown weekday ${quote(iss.input)}; expected one of ${WEEKDAYS.join(", ")}`,
      }),
    )
    .min(1, { error: "days, when given, needs at least one weekday" })
    .optional(),
  timezone: timezoneSchema.optional(),
});
export const eventWaitSchema = z.looseObject({
  kind: z.literal("event"),
  event: eventName,
  where: conditions.optional(),
  timeout: durationSchema,
});

/** Spec §4: once one arm significantly beats every other and each has `minPerArm` matured members, new entries take it. */
export const promoteWinnerSchema = z.looseObject({
  minPerArm: z.number().int().nonnegative(),
});

export const randomSplitSchema = z
  .looseObject({
    kind: z.literal("random"),
    /** The branch the others are compared with (spec §4); the first branch when absent. */
    baseline: z.string().min(1, { error: "baseline, when given, names a branch id" }).optional(),
    promoteWinner: promoteWinnerSchema.optional(),
    branches: z
      .array(
        z.looseObject({
          id: z.string().min(1, { error: "a branch needs an id" }),
          weight: z
            .number()
            .nonnegative({ error: (iss) => `a weight must be 0 or more; got ${quote(iss.input)}` }),
        }),
      )
      .min(1, { error: "a random split needs at least one branch" }),
  })
  .superRefine((d, ctx) => {
    const total = d.branches.reduce((s, b) => s + b.weight, 0);
    if (!(total > 0) || !Number.isFinite(total)) {
      ctx.addIssue({
        code: "custom",
        path: ["branches"],
        message: `split weights must sum to a positive number; they sum to ${total}`,
        input: d.branches,
        params: { code: "value.split_weights", total },
      });
    }
    const seen = new Set<string>();
    d.branches.forEach((b, i) => {
      if (seen.has(b.id))
        ctx.addIssue({
          code: "custom",
          path: ["branches", i, "id"],
          message: `duplicate branch id ${quote(b.id)}`,
          params: { code: "value.duplicate_branch", id: b.id },
        });
      seen.add(b.id);
    });
    if (d.baseline !== undefined && !seen.has(d.baseline))
      ctx.addIssue({
        code: "custom",
        path: ["baseline"],
        message: `baseline ${quote(d.baseline)} is not one of the branches (${[...seen].join(", ")})`,
        input: d.baseline,
        params: { code: "value.unknown_baseline", got: d.baseline, branches: [...seen] },
      });
  });
export const holdoutSplitSchema = z.looseObject({
  kind: z.literal("holdout"),
  promoteWinner: promoteWinnerSchema.optional(),
  percent: z
    .number()
    .min(0, { error: (iss) => `percent must be between 0 and 100; got ${quote(iss.input)}` })
    .max(100, { error: (iss) => `percent must be between 0 and 100; got ${quote(iss.input)}` }),
});

export const actionDataSchema = z.looseObject({
  action: z.string().min(1, { error: "an action node needs an action" }),
  template: z.string().min(1).optional(),
  params: z.record(z.string(), z.unknown()).optional(),
});
export const exitDataSchema = z.looseObject({});

/** Each control node type's data schemas, keyed by `data.kind` where the type has kinds. */
export const NODE_DATA = {
  trigger: {
    event: eventTriggerSchema,
    audience: audienceTriggerSchema,
    stage: stageTriggerSchema,
    manual: manualTriggerSchema,
  },
  condition: conditionDataSchema,
  wait: { duration: durationWaitSchema, until: untilWaitSchema, event: eventWaitSchema },
  split: { random: randomSplitSchema, holdout: holdoutSplitSchema },
  action: actionDataSchema,
  exit: exitDataSchema,
} as const;

export const NODE_TYPES = ["trigger", "condition", "wait", "split", "action", "exit"] as const;
export type NodeType = (typeof NODE_TYPES)[number];

export type EventTriggerData = z.infer<typeof eventTriggerSchema>;
export type AudienceTriggerData = z.infer<typeof audienceTriggerSchema>;
export type StageTriggerData = z.infer<typeof stageTriggerSchema>;
export type ManualTriggerData = z.infer<typeof manualTriggerSchema>;
export type TriggerData = EventTriggerData | AudienceTriggerData | StageTriggerData | ManualTriggerData;
export type ConditionData = z.infer<typeof conditionDataSchema>;
export type DurationWaitData = z.infer<typeof durationWaitSchema>;
export type UntilWaitData = z.infer<typeof untilWaitSchema>;
export type EventWaitData = z.infer<typeof eventWaitSchema>;
export type WaitData = DurationWaitData | UntilWaitData | EventWaitData;
export type RandomSplitData = z.infer<typeof randomSplitSchema>;
export type HoldoutSplitData = z.infer<typeof holdoutSplitSchema>;
export type SplitData = RandomSplitData | HoldoutSplitData;
export type ActionData = z.infer<typeof actionDataSchema>;
export type ExitData = z.infer<typeof exitDataSchema>;

export const positionSchema = z.looseObject({ x: z.number(), y: z.number() });
export type Position = z.infer<typeof positionSchema>;

interface NodeBase<T extends NodeType, D> {
  id: string;
  type: T;
  position: Position;
  data: D;
  [extra: string]: unknown;
}
export type TriggerNode = NodeBase<"trigger", TriggerData>;
export type ConditionNode = NodeBase<"condition", ConditionData>;
export type WaitNode = NodeBase<"wait", WaitData>;
export type SplitNode = NodeBase<"split", SplitData>;
export type ActionNode = NodeBase<"action", ActionData>;
export type ExitNode = NodeBase<"exit", ExitData>;
export type JourneyNode = TriggerNode | ConditionNode | WaitNode | SplitNode | ActionNode | ExitNode;

export const edgeSchema = z.looseObject({
  id: z.string().min(1, { error: "an edge needs an id" }),
  source: z.string().min(1, { error: "an edge needs a source" }),
  target: z.string().min(1, { error: "an edge needs a target" }),
  sourceHandle: z.string().nullish(),
  targetHandle: z.string().nullish(),
});
export type JourneyEdge = z.infer<typeof edgeSchema>;

// ---- settings ----------------------------------------------------------------------------------

export const reentrySchema = z.discriminatedUnion(
  "mode",
  [
    z.looseObject({ mode: z.literal("once") }),
    z.looseObject({ mode: z.literal("cooldown"), cooldown: durationSchema }),
    z.looseObject({ mode: z.literal("always") }),
  ],
  {
    error: (iss) =>
      `unknown re-entry mode ${quote((iss.input as { mode?: unknown } | undefined)?.mode)}; expected once, cooldown or always`,
  },
);
export type Reentry = z.infer<typeof reentrySchema>;

export const settingsSchema = z.looseObject({
  timezone: timezoneSchema.optional(),
  reentry: reentrySchema.optional(),
  exitOn: z.array(z.looseObject({ event: eventName, where: conditions.optional() })).optional(),
  goal: z.looseObject({ event: eventName, within: durationSchema, where: conditions.optional() }).optional(),
  quietHours: z
    .looseObject({ start: hhmmSchema, end: hhmmSchema })
    .refine((q) => q.start !== q.end, {
      error: (iss) =>
        `quiet hours need a start and an end that differ; both are ${quote((iss.input as { end?: unknown } | undefined)?.end)}`,
      path: ["end"],
    })
    .optional(),
  frequencyCap: z
    .looseObject({
      max: z.int({ error: (iss) => `max must be a whole number; got ${quote(iss.input)}` }).min(1, {
        error: (iss) => `max must be at least 1; got ${quote(iss.input)}`,
      }),
      per: durationSchema,
    })
    .optional(),
});
export type JourneySettings = z.infer<typeof settingsSchema>;

/** A journey document (spec §1), after validation. */
export interface Journey {
  schemaVersion: 1;
  name: string;
  settings: JourneySettings;
  nodes: JourneyNode[];
  edges: JourneyEdge[];
  [extra: string]: unknown;
}

/** The document's outer shape; node data are checked per node type in `validate.ts`. */
export const journeyShapeSchema = z.looseObject({
  schemaVersion: z.literal(1, { error: (iss) => `schemaVersion must be 1; got ${quote(iss.input)}` }),
  name: z.string().trim().min(1, { error: "a journey needs a name" }).max(200),
  settings: settingsSchema.optional(),
  nodes: z.array(
    z.looseObject({
      id: z.string().min(1, { error: "a node needs an id" }),
      type: z.string(),
      position: positionSchema,
      data: z.record(z.string(), z.unknown()),
    }),
  ),
  edges: z.array(edgeSchema),
});
