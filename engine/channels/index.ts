export type {
  ChannelProvider,
  MessageContent,
  OutboundMessage,
  Recipient,
  SendOptions,
  SendResult,
  WebhookTarget,
} from "./types";
export { DEFAULT_RETRY_POLICY, backoffDelay, parseRetryAfter, systemRetryTiming } from "./retry";
export type { RetryTiming, RetryPolicy } from "./retry";
export { deliverHttp, isRetryableStatus } from "./http";
export type { FetchLike, HttpRequestSpec, HttpResponseRecord } from "./http";
export { SIGNATURE_HEADER, signWebhook, signatureFor, verifyWebhookSignature } from "./signature";
export type { VerifyOptions } from "./signature";
export { createWebhookProvider, webhookBody } from "./webhook";
export type { WebhookProviderOptions } from "./webhook";
export { createHttpProvider, addressFor } from "./http-provider";
export type { HttpProviderConfig } from "./http-provider";
export { createSmtpProvider, messageIdFor } from "./smtp";
export type { SmtpConfig, SmtpProvider } from "./smtp";
export { DevOutbox } from "./dev";
export type { DevDelivery } from "./dev";
export { ChannelConfigError, channelEnvSchema, createChannelProviders, loadChannelConfig } from "./config";
export type { ChannelConfig, ChannelProviders, GatewayConfig } from "./config";
export { fillJson, readPath } from "./paths";
