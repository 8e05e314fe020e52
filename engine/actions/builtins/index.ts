import type { ActionDefinition } from "../types";
import { ActionRegistry } from "../registry";
import type { DeliverFn } from "./deliver";
import { recordOnly } from "./deliver";
import { messageAction } from "./message";
import { addTagAction, issueCouponAction, setTraitAction } from "./internal";
import type { IssueCouponOptions } from "./internal";
import { webhookAction } from "./webhook";

export interface BuiltinDeps {
  /** Sends a message or webhook; the default records to the outbox only (development and simulation). */
  deliver?: DeliverFn;
  /**
   * Coupon pools for `issue_coupon` (e.g. `{ issuer: storeCouponIssuer(store) }`). Without them codes are
   * derived from the idempotency key, as in simulation.
   */
  coupons?: IssueCouponOptions;
}

export function builtinActions(deps: BuiltinDeps = {}): ActionDefinition<never>[] {
  const deliver = deps.deliver ?? recordOnly;
  const defs = [
    messageAction(
      {
        type: "email",
        addressTrait: "email",
        title: { en: "Email", zh: "邮件" },
        description: { en: "Sends an email rendered from a template.", zh: "按模板发送邮件。" },
      },
      deliver,
    ),
    messageAction(
      {
        type: "sms",
        addressTrait: "phone",
        title: { en: "SMS", zh: "短信" },
        description: { en: "Sends a text message.", zh: "发送短信。" },
      },
      deliver,
    ),
    messageAction(
      {
        type: "push",
        addressTrait: "pushToken",
        title: { en: "Push", zh: "推送" },
        description: { en: "Sends a mobile push notification.", zh: "发送 App 推送通知。" },
      },
      deliver,
    ),
    messageAction(
      {
        type: "wechat",
        addressTrait: "wechatOpenId",
        title: { en: "WeChat", zh: "微信模板消息" },
        description: { en: "Sends a WeChat template message.", zh: "发送微信模板消息。" },
      },
      deliver,
    ),
    webhookAction(deliver),
    setTraitAction,
    addTagAction,
    issueCouponAction(deps.coupons),
  ];
  return defs as unknown as ActionDefinition<never>[];
}

export function defaultRegistry(
  deps: BuiltinDeps = {},
  extra: readonly ActionDefinition<never>[] = [],
): ActionRegistry {
  return new ActionRegistry([...builtinActions(deps), ...extra]);
}

export type { DeliverFn, Delivery } from "./deliver";
export { recordOnly } from "./deliver";
export { channelDeliver } from "./channel-deliver";
export type { ChannelDeliverOptions } from "./channel-deliver";
