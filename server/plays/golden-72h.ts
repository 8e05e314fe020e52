import type { LibraryJourney } from "./types";
import { pos } from "./types";

/**
 * The golden-72-hours win-back: the churn signal is the moment, so the first offer goes out at once (quiet
 * hours permitting), an SMS reminder at hour 24 and a last-chance email at hour 48 — all inside the 72
 * hours the goal measures. A 20% holdout gets nothing, so the results page shows the win-back rate the
 * journey adds over what those customers do on their own.
 */
export const golden72h: LibraryJourney = {
  id: "winback-golden-72h",
  name: { en: "Golden 72 hours win-back", zh: "黄金 72 小时挽回" },
  description: {
    en: "Acts inside the 72 hours after a churn signal: a personal coupon by email at once, an SMS reminder at hour 24, a last-chance email at hour 48; a 20% holdout measures the lift. Goal: an order within 72 hours of the signal.",
    zh: "在流失信号出现后的 72 小时内行动：立即邮件发送专属优惠券，第 24 小时短信提醒，第 48 小时发送最后机会邮件；20% 对照组衡量提升。目标：信号后 72 小时内下单。",
  },
  playbook: {
    metric: { en: "Win-back rate within 72 hours", zh: "72 小时挽回率" },
    goal: { event: "order_completed", within: "72h" },
    band: { low: 0.3, high: 0.4 },
  },
  doc: {
    schemaVersion: 1,
    name: "Golden 72 hours win-back",
    settings: {
      timezone: "Asia/Shanghai",
      reentry: { mode: "cooldown", cooldown: "60d" },
      exitOn: [{ event: "order_completed" }],
      goal: { event: "order_completed", within: "72h" },
      quietHours: { start: "22:00", end: "08:00" },
      frequencyCap: { max: 3, per: "3d" },
    },
    nodes: [
      { id: "t1", type: "trigger", position: pos(0, 0), data: { kind: "event", event: "churn_signal" } },
      { id: "h1", type: "split", position: pos(0, 120), data: { kind: "holdout", percent: 20 } },
      { id: "x0", type: "exit", position: pos(-260, 240), data: {} },
      {
        id: "k1",
        type: "action",
        position: pos(120, 240),
        data: { action: "issue_coupon", params: { offer: "winback-15", prefix: "BACK" } },
      },
      {
        id: "a1",
        type: "action",
        position: pos(120, 360),
        data: { action: "email", template: "winback-coupon" },
      },
      { id: "w1", type: "wait", position: pos(120, 480), data: { kind: "duration", duration: "24h" } },
      {
        id: "a2",
        type: "action",
        position: pos(120, 600),
        data: { action: "sms", template: "last-chance-sms" },
      },
      { id: "w2", type: "wait", position: pos(120, 720), data: { kind: "duration", duration: "24h" } },
      {
        id: "a3",
        type: "action",
        position: pos(120, 840),
        data: { action: "email", template: "last-chance-72h" },
      },
    ],
    edges: [
      { id: "e1", source: "t1", target: "h1" },
      { id: "e2", source: "h1", sourceHandle: "holdout", target: "x0" },
      { id: "e3", source: "h1", sourceHandle: "continue", target: "k1" },
      { id: "e4", source: "k1", target: "a1" },
      { id: "e5", source: "a1", target: "w1" },
      { id: "e6", source: "w1", target: "a2" },
      { id: "e7", source: "a2", target: "w2" },
      { id: "e8", source: "w2", target: "a3" },
    ],
  },
};
