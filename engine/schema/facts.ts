// Over 300 lines: data — one entry per fact field, in English and Chinese.
/**
 * The facts conditions can read (spec §1 "Facts available to conditions"), one catalog for everyone: the
 * server serves it at `/api/facts`, the builder's condition picker is derived from it, and the engine's
 * `customer` fact is tied to it by a test (engine/customer/fact.test.ts). Each entry has a type that decides
 * the operators that fit, a unit, allowed values, a description in English and Chinese, and an example.
 */
import type { FactName } from "./conditions";
import { LIFECYCLE_STAGES } from "./journey";

/** Why a customer got a churn signal. */
export const SIGNAL_REASONS = [
  "order_gap",
  "falling_frequency",
  "falling_spend",
  "rising_complaints",
  "falling_engagement",
  "low_satisfaction",
] as const;
export type SignalReason = (typeof SIGNAL_REASONS)[number];

/** The RFM segments, best first. */
export const RFM_SEGMENTS = [
  "Champions",
  "Loyal",
  "Potential Loyalist",
  "New",
  "Promising",
  "Need Attention",
  "About to Sleep",
  "At Risk",
  "Can't Lose Them",
  "Hibernating",
  "Lost",
] as const;
export type RfmSegment = (typeof RFM_SEGMENTS)[number];

/** `any`: a value of the user's choosing (a trait, an event property); `object`: not a condition value itself. */
export type FactType = "string" | "number" | "integer" | "datetime" | "object" | "string[]" | "any";

interface FactFieldEntry {
  type: FactType;
  unit?: "days" | "currency" | "probability" | "orders" | "count" | "score" | "hours";
  /** Allowed values, for a dropdown. */
  enum?: readonly string[];
  description: { en: string; zh: string };
  example: unknown;
  /** Needs a fitted model or RFM boundaries; absent (undefined) otherwise. */
  requires?: "model" | "rfm" | "orders";
}

/** One field of the `customer` fact. */
export interface FactField extends FactFieldEntry {
  /** JSONPath on the `customer` fact, e.g. `$.rfm.segment`. */
  path: string;
}

/** One entry of the facts catalog: a field of a fact a condition can test. */
export interface FactEntry extends Omit<FactField, "path"> {
  fact: FactName;
  /** JSONPath on the fact; absent for a fact that is a value itself (`eventCount`). */
  path?: string;
  /** The picker's name, when the path does not make a good one. */
  label?: { en: string; zh: string };
  /** What the condition passes in `params` (`eventCount`), by name: its kind. */
  params?: Record<string, string>;
  /** The user completes the path: a trait name, an event property (`path` shows the pattern). */
  custom?: "traits" | "event";
}

/** The `customer` fact's fields by name (engine/customer/fact.ts `CustomerFact`; its test ties the two). */
export const CUSTOMER_FACT_FIELDS = {
  id: {
    type: "string",
    description: { en: "Customer id (userId)", zh: "客户 ID（userId）" },
    example: "c-1001",
  },
  traits: {
    type: "object",
    description: {
      en: "Traits from identify calls; read with $.traits.<name>",
      zh: "identify 上报的属性，用 $.traits.<名称> 读取",
    },
    example: { city: "上海", timezone: "Asia/Shanghai" },
  },
  stage: {
    type: "string",
    enum: LIFECYCLE_STAGES,
    description: { en: "Lifecycle stage", zh: "生命周期阶段" },
    example: "dormant",
  },
  stageSince: {
    type: "datetime",
    description: { en: "When the current stage began", zh: "进入当前阶段的时间" },
    example: "2026-03-01T02:00:00.000Z",
  },
  stageReason: {
    type: "string",
    description: { en: "Why the customer is in this stage", zh: "处于该阶段的原因" },
    example: "no order for 95 days > 70 (own cycle 28 days)",
  },
  ordersCount: {
    type: "integer",
    unit: "orders",
    description: { en: "Orders placed (refunds not counted)", zh: "订单数（不含退款）" },
    example: 7,
  },
  orderDaysCount: {
    type: "integer",
    unit: "count",
    description: {
      en: "Distinct days with an order (same-day orders count once)",
      zh: "有下单的天数（同日多单算一次）",
    },
    example: 6,
  },
  totalSpent: {
    type: "number",
    unit: "currency",
    description: { en: "Total spent, net of refunds", zh: "累计消费金额（扣除退款）" },
    example: 1288.5,
  },
  avgOrderValue: {
    type: "number",
    unit: "currency",
    requires: "orders",
    description: { en: "Average order value (net spend / orders)", zh: "平均客单价（净消费 / 订单数）" },
    example: 184.07,
  },
  refundsCount: {
    type: "integer",
    unit: "count",
    description: { en: "Refunds", zh: "退款次数" },
    example: 1,
  },
  refundedTotal: {
    type: "number",
    unit: "currency",
    description: { en: "Total refunded", zh: "累计退款金额" },
    example: 59,
  },
  firstOrderAt: {
    type: "datetime",
    requires: "orders",
    description: { en: "Time of the first order", zh: "首单时间" },
    example: "2025-06-12T10:30:00.000Z",
  },
  lastOrderAt: {
    type: "datetime",
    requires: "orders",
    description: { en: "Time of the last order", zh: "最近一次下单时间" },
    example: "2026-01-20T14:05:00.000Z",
  },
  daysSinceFirstOrder: {
    type: "integer",
    unit: "days",
    requires: "orders",
    description: { en: "Whole days since the first order", zh: "距首单的整天数" },
    example: 265,
  },
  daysSinceLastOrder: {
    type: "integer",
    unit: "days",
    requires: "orders",
    description: { en: "Whole days since the last order", zh: "距最近一次下单的整天数" },
    example: 48,
  },
  avgDaysBetweenOrders: {
    type: "number",
    unit: "days",
    requires: "orders",
    description: {
      en: "Average days between order days (the customer's own repurchase cycle; needs 2 order days)",
      zh: "平均复购间隔天数（客户自己的复购周期；至少 2 个下单日）",
    },
    example: 28.4,
  },
  dormantAfterDays: {
    type: "number",
    unit: "days",
    requires: "orders",
    description: {
      en: "Days without an order after which this customer counts as dormant",
      zh: "无下单多少天后该客户视为沉睡",
    },
    example: 71,
  },
  orders90d: {
    type: "integer",
    unit: "count",
    description: { en: "Order days in the last 90 days", zh: "近 90 天下单天数" },
    example: 2,
  },
  ordersPrev90d: {
    type: "integer",
    unit: "count",
    description: { en: "Order days in the 90 days before that", zh: "再往前 90 天的下单天数" },
    example: 4,
  },
  spend90d: {
    type: "number",
    unit: "currency",
    description: { en: "Net spend in the last 90 days", zh: "近 90 天净消费" },
    example: 310,
  },
  spendPrev90d: {
    type: "number",
    unit: "currency",
    description: { en: "Net spend in the 90 days before that", zh: "再往前 90 天的净消费" },
    example: 620,
  },
  complaintsCount: {
    type: "integer",
    unit: "count",
    description: { en: "Complaints, all time", zh: "累计投诉次数" },
    example: 1,
  },
  complaints30d: {
    type: "integer",
    unit: "count",
    description: { en: "Complaints in the last 30 days", zh: "近 30 天投诉次数" },
    example: 1,
  },
  views30d: {
    type: "integer",
    unit: "count",
    description: { en: "Product views / browse events in the last 30 days", zh: "近 30 天浏览次数" },
    example: 12,
  },
  favourites30d: {
    type: "integer",
    unit: "count",
    description: { en: "Favourites in the last 30 days", zh: "近 30 天收藏次数" },
    example: 2,
  },
  addToCart30d: {
    type: "integer",
    unit: "count",
    description: { en: "Add-to-cart events in the last 30 days", zh: "近 30 天加购次数" },
    example: 3,
  },
  engagement30d: {
    type: "integer",
    unit: "count",
    description: {
      en: "Browse + favourite + add-to-cart in the last 30 days",
      zh: "近 30 天浏览+收藏+加购合计",
    },
    example: 17,
  },
  engagementPrev30d: {
    type: "integer",
    unit: "count",
    description: { en: "The same in the 30 days before that", zh: "再往前 30 天的互动合计" },
    example: 40,
  },
  lastSatisfactionScore: {
    type: "number",
    unit: "score",
    description: {
      en: "Last survey score (CSAT 1–5 or NPS 0–10)",
      zh: "最近一次满意度评分（CSAT 1–5 或 NPS 0–10）",
    },
    example: 2,
  },
  lastSatisfactionScale: {
    type: "string",
    enum: ["csat", "nps"],
    description: { en: "Scale of the last survey score", zh: "最近一次评分的量表" },
    example: "csat",
  },
  lastSatisfactionAt: {
    type: "datetime",
    description: { en: "When the last survey was answered", zh: "最近一次填写问卷的时间" },
    example: "2026-02-10T09:00:00.000Z",
  },
  churnSignals: {
    type: "string[]",
    enum: SIGNAL_REASONS,
    description: {
      en: "Churn signals that hold now (use contains)",
      zh: "当前存在的流失信号（用 contains 判断）",
    },
    example: ["order_gap"],
  },
  lastChurnSignalAt: {
    type: "datetime",
    description: { en: "When the latest churn signal was raised", zh: "最近一次流失信号的时间" },
    example: "2026-02-28T02:00:00.000Z",
  },
  pAlive: {
    type: "number",
    unit: "probability",
    requires: "model",
    description: {
      en: "Probability the customer is still active (BG/NBD)",
      zh: "客户仍活跃的概率（BG/NBD）",
    },
    example: 0.42,
  },
  churnRisk: {
    type: "number",
    unit: "probability",
    requires: "model",
    description: {
      en: "Churn risk: calibrated probability of no order in the next 90 days (trained nightly on the base's own history)",
      zh: "流失风险：未来 90 天不再下单的校准概率（每晚按客户群自身历史训练）",
    },
    example: 0.58,
  },
  churnDrivers: {
    type: "object",
    requires: "model",
    description: {
      en: "The features that moved churnRisk most: [{feature, value, effect, weight}], strongest first",
      zh: "对流失风险影响最大的特征：[{feature, value, effect, weight}]，按影响从大到小",
    },
    example: [{ feature: "recency_rank", value: 212, effect: "raises", weight: 1.3 }],
  },
  expectedOrders90d: {
    type: "number",
    unit: "orders",
    requires: "model",
    description: { en: "Expected orders in the next 90 days (BG/NBD)", zh: "未来 90 天预期订单数（BG/NBD）" },
    example: 0.8,
  },
  expectedOrderValue: {
    type: "number",
    unit: "currency",
    requires: "model",
    description: {
      en: "Expected value of the next order (Gamma-Gamma)",
      zh: "下一单预期金额（Gamma-Gamma）",
    },
    example: 176.3,
  },
  clv: {
    type: "number",
    unit: "currency",
    requires: "model",
    description: {
      en: "Predicted lifetime value over the configured horizon, discounted",
      zh: "配置期限内的预测客户终身价值（已折现）",
    },
    example: 512.4,
  },
} satisfies Record<string, FactFieldEntry>;

/** The fields of `customer.rfm`. */
export const RFM_FACT_FIELDS = {
  r: {
    type: "integer",
    unit: "score",
    requires: "rfm",
    description: {
      en: "Recency score 1–5 (5 = most recent fifth)",
      zh: "最近购买得分 1–5（5 = 最近的 20%）",
    },
    example: 4,
  },
  f: {
    type: "integer",
    unit: "score",
    requires: "rfm",
    description: {
      en: "Frequency score 1–5 (quintiles of orders)",
      zh: "购买频次得分 1–5（按订单数五分位）",
    },
    example: 3,
  },
  m: {
    type: "integer",
    unit: "score",
    requires: "rfm",
    description: {
      en: "Monetary score 1–5 (quintiles of net spend)",
      zh: "消费金额得分 1–5（按净消费五分位）",
    },
    example: 5,
  },
  score: {
    type: "string",
    requires: "rfm",
    description: { en: "The three RFM digits", zh: "RFM 三位得分" },
    example: "435",
  },
  total: {
    type: "integer",
    unit: "score",
    requires: "rfm",
    description: { en: "R + F + M (3–15)", zh: "R+F+M 总分（3–15）" },
    example: 12,
  },
  segment: {
    type: "string",
    requires: "rfm",
    enum: RFM_SEGMENTS,
    description: { en: "RFM segment", zh: "RFM 客群" },
    example: "Loyal",
  },
} satisfies Record<string, FactFieldEntry>;

/** The `customer` fact's fields, in display order. */
export const CUSTOMER_FACTS_CATALOG: readonly FactField[] = [
  ...Object.entries(CUSTOMER_FACT_FIELDS).map(([k, v]) => ({ path: `$.${k}`, ...v })),
  ...Object.entries(RFM_FACT_FIELDS).map(([k, v]) => ({ path: `$.rfm.${k}`, ...v })),
];

/** The facts beside `customer`, in the picker's order after the customer's fields. */
const OTHER_FACTS: readonly FactEntry[] = [
  {
    fact: "eventCount",
    type: "integer",
    unit: "count",
    params: { event: "string", since: "entry", within: "duration" },
    label: { en: "Event count", zh: "事件次数" },
    description: {
      en: 'How many such events the customer has: params {event, since:"entry"} or {event, within:"30d"}',
      zh: '客户该事件的次数：参数 {event, since:"entry"} 或 {event, within:"30d"}',
    },
    example: 0,
  },
  {
    fact: "journey",
    path: "$.hoursInJourney",
    type: "number",
    unit: "hours",
    label: { en: "Hours in journey", zh: "进入旅程的小时数" },
    description: { en: "Hours since the run entered the journey", zh: "本次进入旅程以来的小时数" },
    example: 72,
  },
  {
    fact: "journey",
    path: "$.branch",
    type: "string",
    label: { en: "Split branch taken", zh: "分流分支" },
    description: {
      en: "The branch id a random split sent the run down",
      zh: "随机分流为本次运行选择的分支 ID",
    },
    example: "a",
  },
  {
    fact: "traits",
    path: "$.<name>",
    type: "any",
    custom: "traits",
    label: { en: "Customer trait…", zh: "客户属性…" },
    description: {
      en: "Any trait sent with identify (shorthand for customer.traits)",
      zh: "identify 上报的任意属性（customer.traits 的简写）",
    },
    example: { city: "上海" },
  },
  {
    fact: "event",
    path: "$.properties.<name>",
    type: "any",
    custom: "event",
    label: { en: "Event property…", zh: "事件属性…" },
    description: {
      en: "A property of the event that entered the run or matched a wait: {name, properties, timestamp}",
      zh: "触发进入或等待命中的事件的属性：{name, properties, timestamp}",
    },
    example: { name: "order_completed", properties: { revenue: 129.5 }, timestamp: "2026-03-02T10:30:00Z" },
  },
];

/** Every fact field a condition can test: what `/api/facts` serves and the builder's picker offers. */
export const FACTS_CATALOG: readonly FactEntry[] = [
  ...CUSTOMER_FACTS_CATALOG.map((f): FactEntry => ({ fact: "customer", ...f })),
  ...OTHER_FACTS,
];
