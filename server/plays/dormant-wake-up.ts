import type { LibraryJourney } from "./types";
import { pos } from "./types";

const coupon = (id: string, x: number, y: number, offer: string, prefix: string) => ({
  id,
  type: "action",
  position: pos(x, y),
  data: { action: "issue_coupon", params: { offer, prefix } },
});
const send = (id: string, x: number, y: number, action: string, template: string) => ({
  id,
  type: "action",
  position: pos(x, y),
  data: { action, template },
});

/**
 * The dormant wake-up play: twice a week, lapsed (dormant or churned) customers enter, once each (re-entering
 * the ones who did not wake up would over-fill the holdout, which never wakes up, and break the split's
 * sample ratio); one in ten is held out (what they do
 * on their own is the baseline), the rest are tested on send time (10:00 or 19:00 in their own zone),
 * channel (email or SMS) and, by email, content (a 15% coupon or a 48-hour 20% discount). Each split is an
 * experiment with its own verdict on the results page.
 */
export const dormantWakeUp: LibraryJourney = {
  id: "dormant-wake-up",
  name: { en: "Dormant wake-up (tested)", zh: "沉睡客户唤醒（实验）" },
  description: {
    en: "Every Monday and Thursday morning, lapsed (dormant or churned) customers enter, once each. 10% are held out to measure the true lift; the rest are tested on send time (10:00 or 19:00 local), channel (email or SMS) and, by email, content (coupon or limited discount). Goal: an order within 14 days.",
    zh: "每周一和周四上午，沉睡或已流失的客户进入旅程（每人一次）。10% 作为对照组不触达以衡量真实提升；其余客户测试发送时间（当地 10:00 或 19:00）、渠道（邮件或短信），邮件再测试内容（优惠券或限时折扣）。目标：14 天内下单。",
  },
  playbook: {
    metric: { en: "Wake-up rate", zh: "唤醒率" },
    goal: { event: "order_completed", within: "14d" },
    band: { low: 0.2, high: 0.3 },
    withTesting: { low: 0.35, high: 0.45 },
  },
  doc: {
    schemaVersion: 1,
    name: "Dormant wake-up (tested)",
    settings: {
      timezone: "Asia/Shanghai",
      reentry: { mode: "once" },
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
          schedule: "0 10 * * 1,4",
          timezone: "Asia/Shanghai",
          conditions: {
            all: [{ fact: "customer", path: "$.stage", operator: "in", value: ["dormant", "churned"] }],
          },
        },
      },
      { id: "h1", type: "split", position: pos(0, 120), data: { kind: "holdout", percent: 10 } },
      { id: "x0", type: "exit", position: pos(-300, 240), data: {} },
      {
        id: "s1",
        type: "split",
        position: pos(100, 240),
        data: {
          kind: "random",
          baseline: "morning",
          branches: [
            { id: "morning", weight: 50 },
            { id: "evening", weight: 50 },
          ],
        },
      },
      { id: "w1", type: "wait", position: pos(-20, 360), data: { kind: "until", time: "10:00" } },
      { id: "w2", type: "wait", position: pos(220, 360), data: { kind: "until", time: "19:00" } },
      {
        id: "s2",
        type: "split",
        position: pos(100, 480),
        data: {
          kind: "random",
          baseline: "email",
          branches: [
            { id: "email", weight: 50 },
            { id: "sms", weight: 50 },
          ],
        },
      },
      {
        id: "s3",
        type: "split",
        position: pos(-60, 600),
        data: {
          kind: "random",
          baseline: "coupon",
          branches: [
            { id: "coupon", weight: 50 },
            { id: "discount", weight: 50 },
          ],
        },
      },
      coupon("k1", -200, 720, "winback-15", "BACK"),
      send("a1", -200, 840, "email", "winback-coupon"),
      coupon("k2", 60, 720, "flash-20", "FLASH"),
      send("a2", 60, 840, "email", "limited-discount"),
      coupon("k3", 300, 600, "winback-15", "BACK"),
      send("a3", 300, 720, "sms", "winback-coupon-sms"),
    ],
    edges: [
      { id: "e1", source: "t1", target: "h1" },
      { id: "e2", source: "h1", sourceHandle: "holdout", target: "x0" },
      { id: "e3", source: "h1", sourceHandle: "continue", target: "s1" },
      { id: "e4", source: "s1", sourceHandle: "morning", target: "w1" },
      { id: "e5", source: "s1", sourceHandle: "evening", target: "w2" },
      { id: "e6", source: "w1", target: "s2" },
      { id: "e7", source: "w2", target: "s2" },
      { id: "e8", source: "s2", sourceHandle: "email", target: "s3" },
      { id: "e9", source: "s2", sourceHandle: "sms", target: "k3" },
      { id: "e10", source: "s3", sourceHandle: "coupon", target: "k1" },
      { id: "e11", source: "k1", target: "a1" },
      { id: "e12", source: "s3", sourceHandle: "discount", target: "k2" },
      { id: "e13", source: "k2", target: "a2" },
      { id: "e14", source: "k3", target: "a3" },
    ],
  },
};
