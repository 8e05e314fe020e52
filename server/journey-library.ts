/**
 * Built-in journeys: the starting points the builder offers and the demo publishes. Plain documents
 * (spec §1). The seed plays (server/plays/) carry their experiments and the playbook's industry band.
 */
import { dormantWakeUp } from "./plays/dormant-wake-up";
import { golden72h } from "./plays/golden-72h";
import { satisfactionSurvey } from "./plays/satisfaction-survey";
import type { LibraryJourney } from "./plays/types";
import { pos } from "./plays/types";

export type { LibraryJourney, PlaybookBand } from "./plays/types";

const winback72h: LibraryJourney = {
  id: "winback-72h",
  name: { en: "Win-back within 72 hours", zh: "72 小时挽回" },
  description: {
    en: "When a churn signal fires, wait 72 hours; if the customer still has not ordered, send a personal coupon by email.",
    zh: "出现流失信号后等待 72 小时；若客户仍未下单，通过邮件发送专属优惠券。",
  },
  doc: {
    schemaVersion: 1,
    name: "Win-back within 72 hours",
    settings: {
      timezone: "Asia/Shanghai",
      reentry: { mode: "once" },
      exitOn: [{ event: "order_completed" }],
      goal: { event: "order_completed", within: "14d" },
      quietHours: { start: "21:00", end: "09:00" },
      frequencyCap: { max: 3, per: "7d" },
    },
    nodes: [
      { id: "t1", type: "trigger", position: pos(0, 0), data: { kind: "event", event: "churn_signal" } },
      { id: "w1", type: "wait", position: pos(0, 120), data: { kind: "duration", duration: "72h" } },
      {
        id: "c1",
        type: "condition",
        position: pos(0, 240),
        data: {
          conditions: {
            all: [
              {
                fact: "eventCount",
                params: { event: "order_completed", since: "entry" },
                operator: "equal",
                value: 0,
              },
            ],
          },
        },
      },
      {
        id: "k1",
        type: "action",
        position: pos(0, 360),
        data: { action: "issue_coupon", params: { offer: "winback-15", prefix: "BACK" } },
      },
      {
        id: "a1",
        type: "action",
        position: pos(0, 480),
        data: { action: "email", template: "winback-coupon" },
      },
      { id: "x1", type: "exit", position: pos(240, 360), data: {} },
    ],
    edges: [
      { id: "e1", source: "t1", target: "w1" },
      { id: "e2", source: "w1", target: "c1" },
      { id: "e3", source: "c1", sourceHandle: "yes", target: "k1" },
      { id: "e4", source: "c1", sourceHandle: "no", target: "x1" },
      { id: "e5", source: "k1", target: "a1" },
    ],
  },
};

const dormantDaily: LibraryJourney = {
  id: "dormant-reactivation-daily",
  name: { en: "Daily dormant-customer reactivation", zh: "每日沉睡客户唤醒" },
  description: {
    en: "Every morning, finds dormant customers and sends an offer that fits their segment: VIP perks for high-value customers, a flash discount for price-sensitive ones, a win-back coupon for everyone else.",
    zh: "每天上午找出沉睡客户，按客群发送合适的权益：高价值客户发 VIP 礼遇，价格敏感客户发限时折扣，其他客户发回归优惠券。",
  },
  doc: {
    schemaVersion: 1,
    name: "Daily dormant-customer reactivation",
    settings: {
      timezone: "Asia/Shanghai",
      reentry: { mode: "cooldown", cooldown: "30d" },
      exitOn: [{ event: "order_completed" }],
      goal: { event: "order_completed", within: "14d" },
      quietHours: { start: "21:00", end: "09:00" },
      frequencyCap: { max: 2, per: "7d" },
    },
    nodes: [
      {
        id: "t1",
        type: "trigger",
        position: pos(0, 0),
        data: {
          kind: "audience",
          schedule: "0 10 * * *",
          timezone: "Asia/Shanghai",
          conditions: {
            all: [{ fact: "customer", path: "$.stage", operator: "equal", value: "dormant" }],
          },
        },
      },
      {
        id: "c1",
        type: "condition",
        position: pos(0, 120),
        data: {
          conditions: {
            any: [
              { fact: "customer", path: "$.totalSpent", operator: "greaterThanInclusive", value: 2000 },
              { fact: "customer", path: "$.clv", operator: "greaterThan", value: 1500 },
            ],
          },
        },
      },
      {
        id: "a1",
        type: "action",
        position: pos(-260, 240),
        data: { action: "email", template: "vip-perks" },
      },
      {
        id: "c2",
        type: "condition",
        position: pos(200, 240),
        data: {
          conditions: {
            all: [{ fact: "customer", path: "$.avgOrderValue", operator: "lessThan", value: 150 }],
          },
        },
      },
      {
        id: "k1",
        type: "action",
        position: pos(80, 360),
        data: { action: "issue_coupon", params: { offer: "flash-20", prefix: "FLASH" } },
      },
      {
        id: "a2",
        type: "action",
        position: pos(80, 480),
        data: { action: "email", template: "limited-discount" },
      },
      {
        id: "k2",
        type: "action",
        position: pos(340, 360),
        data: { action: "issue_coupon", params: { offer: "winback-15", prefix: "BACK" } },
      },
      {
        id: "a3",
        type: "action",
        position: pos(340, 480),
        data: { action: "email", template: "winback-coupon" },
      },
    ],
    edges: [
      { id: "e1", source: "t1", target: "c1" },
      { id: "e2", source: "c1", sourceHandle: "yes", target: "a1" },
      { id: "e3", source: "c1", sourceHandle: "no", target: "c2" },
      { id: "e4", source: "c2", sourceHandle: "yes", target: "k1" },
      { id: "e5", source: "k1", target: "a2" },
      { id: "e6", source: "c2", sourceHandle: "no", target: "k2" },
      { id: "e7", source: "k2", target: "a3" },
    ],
  },
};

const manualCheckIn: LibraryJourney = {
  id: "manual-check-in",
  name: { en: "Manual check-in", zh: "手动关怀" },
  description: {
    en: "Customers entered by hand (or through the API) get a satisfaction survey a day later.",
    zh: "手动（或通过 API）加入的客户，一天后收到满意度调查。",
  },
  doc: {
    schemaVersion: 1,
    name: "Manual check-in",
    settings: { timezone: "Asia/Shanghai", reentry: { mode: "always" } },
    nodes: [
      { id: "t1", type: "trigger", position: pos(0, 0), data: { kind: "manual" } },
      { id: "w1", type: "wait", position: pos(0, 120), data: { kind: "duration", duration: "1d" } },
      {
        id: "a1",
        type: "action",
        position: pos(0, 240),
        data: {
          action: "email",
          template: "satisfaction-survey",
          params: { surveyUrl: "https://shop.example.com/survey" },
        },
      },
    ],
    edges: [
      { id: "e1", source: "t1", target: "w1" },
      { id: "e2", source: "w1", target: "a1" },
    ],
  },
};

/** The seed plays, each with its experiment built in: what the demo publishes. */
export const SEED_PLAYS: readonly LibraryJourney[] = [dormantWakeUp, golden72h, satisfactionSurvey];

export const JOURNEY_LIBRARY: readonly LibraryJourney[] = [
  ...SEED_PLAYS,
  winback72h,
  dormantDaily,
  manualCheckIn,
];

export const libraryJourney = (id: string): LibraryJourney | undefined =>
  JOURNEY_LIBRARY.find((j) => j.id === id);
