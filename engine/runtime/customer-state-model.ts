import type { CustomerRow, StoredEvent } from "../store/types";

/** An event a model emits when state changes (`lifecycle_stage_changed`, `churn_signal`). */
export interface EmittedEvent {
  name: string;
  properties: Record<string, unknown>;
}

/**
 * How a customer's computed state follows its events, and what the `customer` fact shows. The engine calls
 * `apply` for every ingested track event, in the same transaction that stores the event. (Not the fitted
 * purchase model, `CustomerModel` in engine/customer/model/predict.ts: one plug-in may use the other.)
 */
export interface CustomerStateModel {
  apply(
    state: Record<string, unknown>,
    event: StoredEvent,
    now: number,
  ): { state: Record<string, unknown>; emitted: EmittedEvent[] };
  fact(customer: CustomerRow, now: number): Record<string, unknown>;
}
