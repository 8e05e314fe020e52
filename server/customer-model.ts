import {
  applyEvent,
  computeRfmBoundaries,
  customerFact,
  emptyProfile,
  fitModelFromProfiles,
  refresh,
} from "../engine/customer/index";
import type { CustomerModel as FittedModel, CustomerProfile, RfmBoundaries } from "../engine/customer/index";
import type { CustomerModel, EmittedEvent } from "../engine/runtime/customer-model";
import type { CustomerRow, StoredEvent } from "../engine/store/types";

/** Population-level inputs of the customer fact: RFM boundaries and the fitted BG/NBD + Gamma-Gamma model. */
export interface PopulationModel {
  rfm?: RfmBoundaries | undefined;
  model?: FittedModel | undefined;
  fittedAt?: number | undefined;
}

const isProfile = (s: Record<string, unknown>): boolean =>
  s.version === 1 && Array.isArray(s.days) && typeof s.stage === "string";

export function profileOf(state: Record<string, unknown>): CustomerProfile {
  return isProfile(state) ? (state as unknown as CustomerProfile) : emptyProfile();
}

/**
 * The engine's CustomerModel backed by the customer module (engine/customer): the stored `state` is the
 * customer's CustomerProfile; the `customer` fact is `customerFact` with the population's RFM boundaries
 * and fitted model when they are known. `lifecycle_stage_changed` and `churn_signal` are emitted for journeys.
 */
export function profileCustomerModel(population: PopulationModel): CustomerModel {
  return {
    apply(state, event: StoredEvent, now) {
      const r = applyEvent(
        profileOf(state),
        { name: event.name, properties: event.properties, timestamp: event.timestamp },
        undefined,
        Math.max(now, event.timestamp),
        population.model,
      );
      const emitted: EmittedEvent[] = r.emitted.map((e) => ({ name: e.name, properties: e.properties }));
      return { state: r.profile as unknown as Record<string, unknown>, emitted };
    },
    fact(c: CustomerRow, now) {
      return customerFact(profileOf(c.state), c.traits, c.id, now, {
        model: population.model,
        rfm: population.rfm,
      }) as unknown as Record<string, unknown>;
    },
  };
}

/** Re-evaluates a profile as time passes (stage and signals), for the housekeeping job. */
export function refreshProfile(
  state: Record<string, unknown>,
  now: number,
  population: PopulationModel,
): { state: Record<string, unknown>; emitted: EmittedEvent[] } {
  const r = refresh(profileOf(state), undefined, now, population.model);
  return {
    state: r.profile as unknown as Record<string, unknown>,
    emitted: r.emitted.map((e) => ({ name: e.name, properties: e.properties })),
  };
}

/** Fits RFM boundaries and the purchase model over every stored profile. */
export function fitPopulation(profiles: CustomerProfile[], now: number): PopulationModel {
  const out: PopulationModel = { fittedAt: now };
  if (profiles.some((p) => p.ordersCount > 0)) out.rfm = computeRfmBoundaries(profiles, now);
  try {
    if (profiles.filter((p) => p.ordersCount > 1).length >= 20)
      out.model = fitModelFromProfiles(profiles, now);
  } catch {
    // Too little data for a stable fit: facts that need the model stay undefined.
  }
  return out;
}
