/**
 * Validation messages by code, in every language the product speaks. The validator builds each issue's English
 * `message` from this table; the builder and the command line render `code` + `params` in the reader's
 * language. Codes are stable (clients may match on them); wording may change.
 */
export const LANGS = ["en", "zh"] as const;
export type Lang = (typeof LANGS)[number];
export type IssueParams = Record<string, unknown>;
type Texts = Record<Lang, (p: IssueParams) => string>;

// JSON.stringify answers undefined only for undefined, functions and symbols, which String() spells well.
const q = (v: unknown): string => JSON.stringify(v) ?? `${v as string}`;
const qz = (v: unknown): string => (v === undefined ? "空" : q(v));
const list = (v: unknown, sep: string): string =>
  Array.isArray(v) ? v.map((x) => (typeof x === "string" ? x : q(x))).join(sep) : q(v);
const TYPE_ZH: Record<string, string> = {
  object: "对象",
  string: "字符串",
  number: "数字",
  array: "列表",
  boolean: "布尔值",
  record: "对象",
};
const typeZh = (t: unknown): string => (typeof t === "string" ? (TYPE_ZH[t] ?? t) : q(t));
const got = (p: IssueParams): string => ("got" in p ? `; got ${q(p.got)}` : "");
const gotZh = (p: IssueParams): string => ("got" in p ? `；实际为 ${qz(p.got)}` : "");

export const ISSUE_MESSAGES = {
  // ---- the document and its size (limits.ts) ----
  "journey.not_object": {
    en: (p) => `a journey must be a JSON object; got ${q(p.got)}`,
    zh: (p) => `旅程必须是一个 JSON 对象；实际为 ${qz(p.got)}`,
  },
  "journey.no_trigger": {
    en: () => "a journey needs at least one trigger node",
    zh: () => "旅程至少需要一个触发节点",
  },
  "journey.uncompilable": {
    en: (p) => `the journey cannot be compiled: ${String(p.reason)}`,
    zh: (p) => `旅程无法编译：${String(p.reason)}`,
  },
  "limit.values": {
    en: (p) => `the document has more than ${String(p.limit)} values`,
    zh: (p) => `文档中的值超过 ${String(p.limit)} 个`,
  },
  "limit.depth": {
    en: (p) => `nested more than ${String(p.limit)} levels deep`,
    zh: (p) => `嵌套超过 ${String(p.limit)} 层`,
  },
  "limit.condition_depth": {
    en: (p) => `conditions nested more than ${String(p.limit)} groups deep`,
    zh: (p) => `条件组嵌套超过 ${String(p.limit)} 层`,
  },
  "limit.array_length": {
    en: (p) => `a list of ${String(p.length)} items; at most ${String(p.limit)}`,
    zh: (p) => `列表有 ${String(p.length)} 项；最多 ${String(p.limit)} 项`,
  },
  // ---- nodes ----
  "node.duplicate_id": { en: (p) => `duplicate node id ${q(p.id)}`, zh: (p) => `节点 id ${qz(p.id)} 重复` },
  "node.unknown_type": {
    en: (p) => `unknown node type ${q(p.got)}; expected one of ${list(p.expected, ", ")}`,
    zh: (p) => `未知的节点类型 ${qz(p.got)}；应为 ${list(p.expected, "、")} 之一`,
  },
  "node.unknown_kind": {
    en: (p) => `unknown ${String(p.type)} kind ${q(p.got)}; expected one of ${list(p.expected, ", ")}`,
    zh: (p) => `未知的${String(p.type)}种类 ${qz(p.got)}；应为 ${list(p.expected, "、")} 之一`,
  },
  "node.unknown_action": { en: (p) => `unknown action ${q(p.got)}`, zh: (p) => `未知的动作 ${qz(p.got)}` },
  "node.unknown_template": {
    en: (p) => `unknown template ${q(p.got)}`,
    zh: (p) => `未知的模板 ${qz(p.got)}`,
  },
  "node.unreachable": {
    en: (p) => `node ${q(p.id)} cannot be reached from any trigger`,
    zh: (p) => `节点 ${qz(p.id)} 无法从任何触发节点到达`,
  },
  "node.cycle_without_wait": {
    en: (p) => `cycle without a wait: ${list(p.cycle, " → ")}; a cycle must pass through a wait node`,
    zh: (p) => `循环中没有等待节点：${list(p.cycle, " → ")}；循环必须经过一个等待节点`,
  },
  // ---- edges ----
  "edge.duplicate_id": { en: (p) => `duplicate edge id ${q(p.id)}`, zh: (p) => `连线 id ${qz(p.id)} 重复` },
  "edge.source_missing": {
    en: (p) => `edge source ${q(p.got)} is not a node`,
    zh: (p) => `连线起点 ${qz(p.got)} 不是一个节点`,
  },
  "edge.target_missing": {
    en: (p) => `edge target ${q(p.got)} is not a node`,
    zh: (p) => `连线终点 ${qz(p.got)} 不是一个节点`,
  },
  "edge.no_ports": {
    en: (p) => `an ${String(p.type)} node has no output ports; got ${q(p.got)}`,
    zh: (p) => `${String(p.type)} 节点没有输出端口；实际为 ${qz(p.got)}`,
  },
  "edge.unknown_port": {
    en: (p) => `a ${String(p.type)} node has no port ${q(p.got)}; its ports are ${list(p.ports, ", ")}`,
    zh: (p) => `${String(p.type)} 节点没有端口 ${qz(p.got)}；它的端口是 ${list(p.ports, "、")}`,
  },
  "edge.port_taken": {
    en: (p) =>
      `port ${q(p.port)} of node ${q(p.node)} already has edge ${q(p.other)}; a port has at most one edge`,
    zh: (p) => `节点 ${qz(p.node)} 的端口 ${qz(p.port)} 已有连线 ${qz(p.other)}；一个端口最多一条连线`,
  },
  "edge.into_trigger": {
    en: (p) => `a trigger cannot have incoming edges; got ${q(p.got)}`,
    zh: (p) => `触发节点不能有输入连线；实际为 ${qz(p.got)}`,
  },
  // ---- conditions (conditions.ts) ----
  "condition.not_object": {
    en: (p) => `a condition must be an object with all, any, not or fact; got ${q(p.got)}`,
    zh: (p) => `条件必须是含 all、any、not 或 fact 的对象；实际为 ${qz(p.got)}`,
  },
  "condition.several_groups": {
    en: (p) => `a condition group has exactly one of all, any or not; got ${list(p.groups, " and ")}`,
    zh: (p) => `条件组只能有 all、any、not 其中之一；实际为 ${list(p.groups, "、")}`,
  },
  "condition.group_not_list": {
    en: (p) => `"${String(p.group)}" must be a list of conditions; got ${q(p.got)}`,
    zh: (p) => `"${String(p.group)}" 必须是条件列表；实际为 ${qz(p.got)}`,
  },
  "condition.top_level": {
    en: () => "conditions must start with all, any or not",
    zh: () => "条件必须以 all、any 或 not 开头",
  },
  "condition.shared_reference": {
    en: (p) => `shared condition references (${q(p.got)}) are not supported`,
    zh: (p) => `不支持共享条件引用（${qz(p.got)}）`,
  },
  "condition.unknown_fact": {
    en: (p) => `unknown fact ${q(p.got)}; expected one of ${list(p.expected, ", ")}`,
    zh: (p) => `未知的事实 ${qz(p.got)}；应为 ${list(p.expected, "、")} 之一`,
  },
  "condition.unknown_operator": {
    en: (p) => `unknown operator ${q(p.got)}; expected one of ${list(p.expected, ", ")}`,
    zh: (p) => `未知的运算符 ${qz(p.got)}；应为 ${list(p.expected, "、")} 之一`,
  },
  "condition.no_value": { en: () => "a condition needs a value", zh: () => "条件需要一个值" },
  "condition.fact_value": {
    en: () => "a value that refers to another fact is not supported",
    zh: () => "不支持引用另一个事实的值",
  },
  "condition.list_value": {
    en: (p) => `operator "${String(p.operator)}" needs a list value; got ${q(p.got)}`,
    zh: (p) => `运算符 "${String(p.operator)}" 需要列表值；实际为 ${qz(p.got)}`,
  },
  "condition.bad_path": {
    en: (p) => `bad path ${q(p.got)}; use the simple form $.a.b`,
    zh: (p) => `路径 ${qz(p.got)} 无效；请使用简单形式 $.a.b`,
  },
  "condition.params_not_object": {
    en: (p) => `params must be an object; got ${q(p.got)}`,
    zh: (p) => `params 必须是对象；实际为 ${qz(p.got)}`,
  },
  "condition.event_count_event": {
    en: (p) => `eventCount needs params.event; got ${q(p.got)}`,
    zh: (p) => `eventCount 需要 params.event；实际为 ${qz(p.got)}`,
  },
  "condition.event_count_window": {
    en: () => 'eventCount needs exactly one of params.since ("entry") or params.within (a duration)',
    zh: () => 'eventCount 需要 params.since（"entry"）或 params.within（时长）其中之一',
  },
  "condition.event_count_since": {
    en: (p) => `since must be "entry"; got ${q(p.got)}`,
    zh: (p) => `since 必须是 "entry"；实际为 ${qz(p.got)}`,
  },
  // ---- field values (journey.ts) ----
  "value.duration": {
    en: (p) => `bad duration ${q(p.got)}; use a whole number and a unit s, m, h, d or w (e.g. "72h")`,
    zh: (p) => `时长 ${qz(p.got)} 无效；请用整数加单位 s、m、h、d 或 w（例如 "72h"）`,
  },
  "value.timezone": {
    en: (p) => `unknown timezone ${q(p.got)}; use an IANA name such as "Asia/Shanghai"`,
    zh: (p) => `未知的时区 ${qz(p.got)}；请使用 IANA 名称，例如 "Asia/Shanghai"`,
  },
  "value.cron": { en: (p) => String(p.reason), zh: (p) => `定时表达式无效：${String(p.reason)}` },
  "value.split_weights": {
    en: (p) => `split weights must sum to a positive number; they sum to ${String(p.total)}`,
    zh: (p) => `分流权重之和必须为正数；当前之和为 ${String(p.total)}`,
  },
  "value.duplicate_branch": {
    en: (p) => `duplicate branch id ${q(p.id)}`,
    zh: (p) => `分支 id ${qz(p.id)} 重复`,
  },
  "value.unknown_baseline": {
    en: (p) => `baseline ${q(p.got)} is not one of the branches (${list(p.branches, ", ")})`,
    zh: (p) => `基准 ${qz(p.got)} 不是任何一个分支（${list(p.branches, "、")}）`,
  },
  // ---- warnings: paths that end before the goal window closes (validate-goal.ts) ----
  "goal.split_arm_ends_early": {
    en: (p) =>
      `arm ${q(p.arm)} of split ${q(p.split)} ends every run by ${String(p.latest)} after entry (at ${q(p.end)}), before the goal window (${String(p.within)}) closes: the results report still counts its later conversions (from stored events), but its runs end "completed", so run outcomes (the live converted count, the run log) show this arm below arms whose runs wait to convert; compare arms in the results report, or keep this arm in the journey with a wait until the window closes`,
    zh: (p) =>
      `分流 ${qz(p.split)} 的分支 ${qz(p.arm)} 最晚在进入后 ${String(p.latest)} 结束运行（于 ${qz(p.end)}），早于目标窗口（${String(p.within)}）结束：效果报告仍按已存储的事件计入该分支之后的转化，但它的运行以「已完成」结束，按运行结果看（实时转化数、运行日志），该分支会低于留在旅程中等待转化的分支；请在效果报告中比较各分支，或用等待节点让该分支留到窗口结束`,
  },
  "goal.message_path_ends_early": {
    en: (p) =>
      `after message ${q(p.message)} the run ends at ${q(p.end)} by ${String(p.latest)} after entry, before the goal window (${String(p.within)}) closes, while other paths hold their runs until it closes: the results report counts both alike (from stored events), but these runs end "completed" where the others can end "converted", so the live converted count and the run log understate this path; keep it with a wait (or a wait for the goal event) until the window closes, or read the results report`,
    zh: (p) =>
      `消息 ${qz(p.message)} 之后，运行最晚在进入后 ${String(p.latest)} 于 ${qz(p.end)} 结束，早于目标窗口（${String(p.within)}）结束，而其他路径会让运行留到窗口结束：效果报告按已存储的事件对两者一视同仁，但这条路径的运行以「已完成」结束，其他路径则可能以「已转化」结束，因此实时转化数和运行日志会低估这条路径；请用等待节点（或等待目标事件）让运行留到窗口结束，或以效果报告为准`,
  },
  // ---- anything else the schema checks, by zod's issue code ----
  "schema.invalid_type": {
    en: (p) => `expected ${String(p.expected)}${got(p)}`,
    zh: (p) =>
      "got" in p ? `应为${typeZh(p.expected)}${gotZh(p)}` : `缺少此项（应为${typeZh(p.expected)}）`,
  },
  "schema.invalid_value": {
    en: (p) => `expected one of ${list(p.values, ", ")}${got(p)}`,
    zh: (p) =>
      Array.isArray(p.values) && p.values.length === 1
        ? `应为 ${q(p.values[0])}${gotZh(p)}`
        : `应为 ${list(p.values, "、")} 之一${gotZh(p)}`,
  },
  "schema.too_small": {
    en: (p) => `too small: at least ${String(p.minimum)}${got(p)}`,
    zh: (p) =>
      p.minimum === 1 && p.origin !== "number"
        ? `不能为空${gotZh(p)}`
        : `太小：至少 ${String(p.minimum)}${gotZh(p)}`,
  },
  "schema.too_big": {
    en: (p) => `too big: at most ${String(p.maximum)}${got(p)}`,
    zh: (p) => `太大：最多 ${String(p.maximum)}${gotZh(p)}`,
  },
  "schema.invalid_format": {
    en: (p) => `bad format${got(p)}`,
    zh: (p) => `格式不正确${gotZh(p)}`,
  },
  "schema.unrecognized_keys": {
    en: (p) => `unknown keys ${list(p.keys, ", ")}`,
    zh: (p) => `未知的键 ${list(p.keys, "、")}`,
  },
  "schema.invalid": { en: (p) => `invalid value${got(p)}`, zh: (p) => `值无效${gotZh(p)}` },
} satisfies Record<string, Texts>;

export type IssueCode = keyof typeof ISSUE_MESSAGES;

export const isIssueCode = (code: unknown): code is IssueCode =>
  typeof code === "string" && Object.hasOwn(ISSUE_MESSAGES, code);

/** The English message of a code: the `message` every issue carries. */
export function issueMessage(code: IssueCode, params: IssueParams = {}): string {
  return ISSUE_MESSAGES[code].en(params);
}

/**
 * An issue in the reader's language. English is the issue's own message (the validator's exact words, which for
 * checks a library words may be more specific than the table); other languages render its code and params.
 */
export function renderIssue(
  issue: { code?: string; params?: IssueParams; message: string },
  lang: Lang,
): string {
  if (lang === "en" || !isIssueCode(issue.code)) return issue.message;
  return ISSUE_MESSAGES[issue.code][lang](issue.params ?? {});
}

/** The language the command line speaks: `--lang`, else LANG / LC_ALL, else English. */
export function langFrom(flag: string | undefined, env: Record<string, string | undefined>): Lang {
  const pick = (v: string | undefined): Lang | undefined =>
    v === undefined
      ? undefined
      : v.toLowerCase().startsWith("zh")
        ? "zh"
        : v.toLowerCase().startsWith("en")
          ? "en"
          : undefined;
  return pick(flag) ?? pick(env.LC_ALL) ?? pick(env.LANG) ?? "en";
}
