export { ALL_CHANNELS, consentOf, resubscribe, suppresses, unsubscribe } from "./consent";
export type { ConsentTarget } from "./consent";
export { createUnsubscribeToken, unsubscribeLinks, verifyUnsubscribeToken } from "./token";
export type { UnsubscribeClaims } from "./token";
