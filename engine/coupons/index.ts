export { CouponPatternError, parseCodePattern, PATTERN_DIGITS, PATTERN_LETTERS } from "./pattern";
export type { CodePattern } from "./pattern";
export { generateCouponCodes, importCouponCodes, storeCouponIssuer } from "./pools";
export type { CouponIssuer } from "./pools";
