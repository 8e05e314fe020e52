import { computeRfmBoundaries, emptyProfile, fitModelFromProfiles } from "../engine/customer/index";
import type { CustomerProfile } from "../engine/customer/index";
import type { BaseSnapshot, LifecycleModel } from "../engine/customer/engine-model";
import type { Engine } from "../engine/runtime/engine";

export const profileOf = (state: Record<string, unknown>): CustomerProfile =>
  state.version === 1 ? (state as unknown as CustomerProfile) : emptyProfile();

/** Fits RFM boundaries and the purchase model (BG/NBD + Gamma-Gamma) over every stored profile. */
export function fitBase(profiles: CustomerProfile[], now: number): BaseSnapshot {
  const out: BaseSnapshot = {};
  if (profiles.some((p) => p.ordersCount > 0)) out.rfm = computeRfmBoundaries(profiles, now);
  try {
    if (profiles.filter((p) => p.ordersCount > 1).length >= 20)
      out.model = fitModelFromProfiles(profiles, now);
  } catch {
    // Too little data for a stable fit: facts that need the model stay undefined.
  }
  return out;
}

/** Reads every profile, refits the base and installs the fit in the engine's model. */
export async function refitBase(engine: Engine, model: LifecycleModel): Promise<void> {
  const profiles: CustomerProfile[] = [];
  for (let after: string | null = null; ;) {
    const page = await engine.store.scanCustomers(after, 2000);
    if (page.length === 0) break;
    after = page[page.length - 1]!.id;
    for (const c of page) profiles.push(profileOf(c.state));
  }
  model.setSnapshot(fitBase(profiles, engine.clock.now()));
}

/** The nightly job: refit, then re-evaluate every customer's stage and signals as time passed (emitting changes). */
export async function nightlyRefresh(engine: Engine, model: LifecycleModel): Promise<number> {
  await refitBase(engine, model);
  let emitted = 0;
  for (let after: string | null = null; ;) {
    const page = await engine.store.scanCustomers(after, 500);
    if (page.length === 0) break;
    after = page[page.length - 1]!.id;
    emitted += await engine.refreshCustomers(page, (state, now) => model.refresh(state, now));
    await new Promise((r) => setImmediate(r));
  }
  return emitted;
}
