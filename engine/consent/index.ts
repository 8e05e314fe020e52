export { ALL_CHANNELS, consentOf, isSubscribed, resubscribe, suppresses, unsubscribe } from "./consent";
export type { ConsentTarget } from "./consent";
export { createUnsubscribeToken, unsubscribeLinks, verifyUnsubscribeToken } from "./token";
export type { UnsubscribeClaims } from "./token";
