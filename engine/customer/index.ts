/** Customer state: computed profile, lifecycle stages, RFM, churn signals, predictions, facts catalog. */
export * from "./types";
export * from "./config";
export { DAY_MS, toMs } from "./time";
export type { Instant } from "./time";
export { emptyProfile, applyEvent, refresh, recompute, profileFacts } from "./profile";
export type { ApplyResult } from "./profile";
export { customerFact } from "./fact";
export type { CustomerFact, FactContext } from "./fact";
export { computeStage, stageThresholds } from "./stages";
export type { StageResult, StageThresholds } from "./stages";
export { detectSignals } from "./signals";
export type { DetectedSignal } from "./signals";
export {
  computeRfmBoundaries,
  rfmFor,
  rfmInputs,
  rfmSegment,
  scoreRfm,
  percentile,
  RFM_GRID,
  RFM_SEGMENTS,
} from "./rfm";
export type { RfmBoundaries, RfmScore, RfmSegment, RfmInputs } from "./rfm";
export { orderWindows, avgDaysBetweenOrders, orderDaysCount } from "./metrics";
export { toCustomerEvent } from "./events";
export { CUSTOMER_FACTS_CATALOG, LABELS_ZH } from "./facts-catalog";
export type { FactField, FactType } from "./facts-catalog";
export { predict, profileSummary, fitModelFromProfiles, discountedClv } from "./model/predict";
export type { CustomerModel, Predictions } from "./model/predict";
export {
  fitBgNbd,
  bgnbdLogLik,
  bgnbdPAlive,
  bgnbdExpected,
  bgnbdConditionalExpected,
  rescaleBgNbd,
} from "./model/bgnbd";
export type { BgNbdParams, BgNbdFit, RepeatSummary } from "./model/bgnbd";
export { fitGammaGamma, gammaGammaLogLik, gammaGammaExpectedValue } from "./model/gamma-gamma";
export type { GammaGammaParams, GammaGammaFit } from "./model/gamma-gamma";
export { runModelFit, parseColumnsOption } from "./model/fit-cli";
export type { ModelFitOptions, ModelFitOutput } from "./model/fit-cli";
export { readOrdersText, parseDay } from "./model/orders-file";
export { summarize } from "./model/summary";
export { generateDemo, demoCustomers, demoCustomer, toNdjson, DEMO_DEFAULTS } from "./demo/generate";
export type { DemoEvent, DemoOptions, DemoCustomer } from "./demo/generate";
export { benchRecompute, benchApplyOrder } from "./bench";
export { BaseFitCollector, fitBaseFromProfiles, computeRfmBoundariesFromColumns } from "./base-fit";
export type { BaseFitOptions, BaseFitResult, BaseFitStats } from "./base-fit";
export {
  recomputeAll,
  refitBase,
  refreshAll,
  restoreSnapshot,
  loadSnapshot,
  saveSnapshot,
  NightlyRecompute,
  SNAPSHOT_META_KEY,
} from "./recompute-job";
export type {
  StoredSnapshot,
  RecomputeOptions,
  RecomputeResult,
  NightlyRecomputeOptions,
} from "./recompute-job";
export { importFile, importFiles, parseInstant, parseAmount, ImportError } from "./import";
export type {
  ImportOptions,
  ImportFileOptions,
  ImportReport,
  FileReport,
  ImportFormat,
  ImportKind,
} from "./import";
export { churnResponse, CHURN_RESPONSE_WINDOW_MS } from "./signal-latency";
export type { ChurnResponseReport, ChurnResponseQuery, LatencyStats } from "./signal-latency";
export {
  createSurveyToken,
  verifySurveyToken,
  surveyLink,
  surveyMessageId,
  checkSurveyAnswer,
  recordSurveyResponse,
  surveyResponseRate,
  SurveyAnswerError,
  SURVEY_EVENT,
  SURVEY_SCALES,
} from "./survey";
export type {
  SurveyInvite,
  SurveyAnswer,
  SurveyKind,
  SurveyLang,
  SurveyResponseRate,
  TokenCheck,
} from "./survey";
