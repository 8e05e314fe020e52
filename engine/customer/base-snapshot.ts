import type { CustomerModel } from "./model/predict";
import type { RfmBoundaries } from "./rfm";

/** What the nightly job fits over the whole base and every fact then reads. */
export interface BaseSnapshot {
  model?: CustomerModel | undefined;
  rfm?: RfmBoundaries | undefined;
}
