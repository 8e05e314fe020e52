import type { LibraryJourney } from "./types";
import { pos } from "./types";

/**
 * The satisfaction survey with a follow-up: two days after an order the customer is invited by email to
 * the hosted survey page (the engine signs a per-customer link, so every answer is stored as a
 * `survey_response` event naming this journey); whoever has not answered three days later gets an SMS
 * reminder, except a 50% holdout that tests whether the follow-up earns its cost.
 */
export const satisfactionSurvey: LibraryJourney = {
  id: "satisfaction-survey",
  name: { en: "Satisfaction survey with follow-up", zh: "满意度调查（含跟进）" },
  description: {
    en: "Two days after an order, an email invites the customer to the hosted survey page; those who have not answered after three days get an SMS reminder, with half held out to measure what the reminder adds. Goal: a survey answer within 7 days.",
    zh: "下单两天后通过邮件邀请客户填写托管问卷页；三天后仍未作答的客户收到短信提醒，其中一半作为对照组以衡量提醒的效果。目标：7 天内完成问卷。",
  },
  playbook: {
    metric: { en: "Survey response rate", zh: "问卷回复率" },
    goal: { event: "survey_response", within: "7d" },
    band: { low: 0.5, high: 0.6 },
  },
  doc: {
    schemaVersion: 1,
    name: "Satisfaction survey with follow-up",
    settings: {
      timezone: "Asia/Shanghai",
      reentry: { mode: "cooldown", cooldown: "30d" },
      goal: { event: "survey_response", within: "7d" },
      quietHours: { start: "21:00", end: "09:00" },
    },
    nodes: [
      {
        id: "t1",
        type: "trigger",
        position: pos(0, 0),
        data: {
          kind: "event",
          event: "order_completed",
          where: {
            all: [{ fact: "event", path: "$.properties.revenue", operator: "greaterThan", value: 0 }],
          },
        },
      },
      { id: "w1", type: "wait", position: pos(0, 120), data: { kind: "duration", duration: "2d" } },
      {
        id: "a1",
        type: "action",
        position: pos(0, 240),
        data: { action: "email", template: "satisfaction-survey", params: { survey: "csat" } },
      },
      {
        id: "w2",
        type: "wait",
        position: pos(0, 360),
        data: { kind: "event", event: "survey_response", timeout: "3d" },
      },
      { id: "x1", type: "exit", position: pos(-240, 480), data: {} },
      { id: "h1", type: "split", position: pos(160, 480), data: { kind: "holdout", percent: 50 } },
      { id: "x2", type: "exit", position: pos(0, 600), data: {} },
      {
        id: "a2",
        type: "action",
        position: pos(300, 600),
        data: { action: "sms", template: "survey-reminder-sms", params: { survey: "csat" } },
      },
    ],
    edges: [
      { id: "e1", source: "t1", target: "w1" },
      { id: "e2", source: "w1", target: "a1" },
      { id: "e3", source: "a1", target: "w2" },
      { id: "e4", source: "w2", sourceHandle: "matched", target: "x1" },
      { id: "e5", source: "w2", sourceHandle: "timeout", target: "h1" },
      { id: "e6", source: "h1", sourceHandle: "holdout", target: "x2" },
      { id: "e7", source: "h1", sourceHandle: "continue", target: "a2" },
    ],
  },
};
