import type { CustomerStateModel } from "../runtime/customer-state-model";
import type { CustomerRow, StoredEvent } from "../store/types";
import type { BaseSnapshot } from "./base-snapshot";
import type { CustomerConfig } from "./config";
import { DEFAULT_CONFIG } from "./config";
import { customerFact } from "./fact";
import { applyEvent, emptyProfile, refresh } from "./profile";
import type { CustomerProfile } from "./types";

export type { BaseSnapshot } from "./base-snapshot";

export interface LifecycleModel extends CustomerStateModel {
  readonly config: CustomerConfig;
  snapshot(): BaseSnapshot;
  /** Installs a new fit (after the nightly refit, or when the engine opens). */
  setSnapshot(s: BaseSnapshot): void;
  /** Stage and signals re-evaluated as time passes, with no event (the nightly refresh). */
  refresh(
    state: Record<string, unknown>,
    now: number,
  ): { state: Record<string, unknown>; emitted: { name: string; properties: Record<string, unknown> }[] };
}

const asProfile = (state: Record<string, unknown>): CustomerProfile =>
  state.version === 1 ? (state as unknown as CustomerProfile) : emptyProfile();

/**
 * The customer-state model the engine uses: profiles updated on every ingested event, stages, RFM, churn
 * signals and predictions in the `customer` fact, and `lifecycle_stage_changed` / `churn_signal` emitted
 * through the ingestion path so stage and event triggers see them.
 */
export function lifecycleModel(
  config: CustomerConfig = DEFAULT_CONFIG,
  initial: BaseSnapshot = {},
): LifecycleModel {
  let snap: BaseSnapshot = initial;
  const out = (r: {
    profile: CustomerProfile;
    emitted: { name: string; properties: Record<string, unknown> }[];
  }) => ({
    state: r.profile as unknown as Record<string, unknown>,
    emitted: r.emitted.map((e) => ({ name: e.name, properties: e.properties })),
  });
  return {
    config,
    snapshot: () => snap,
    setSnapshot: (s) => {
      snap = s;
    },
    apply(state: Record<string, unknown>, event: StoredEvent, now: number) {
      if (event.type !== "track") return { state, emitted: [] };
      const r = applyEvent(
        asProfile(state),
        { name: event.name, properties: event.properties, timestamp: event.timestamp },
        config,
        Math.max(now, event.timestamp),
        snap.model,
      );
      return out(r);
    },
    refresh(state, now) {
      return out(refresh(asProfile(state), config, now, snap.model));
    },
    fact(c: CustomerRow, now: number) {
      return customerFact(asProfile(c.state), c.traits, c.id, now, {
        model: snap.model,
        rfm: snap.rfm,
        config,
      }) as unknown as Record<string, unknown>;
    },
  };
}
