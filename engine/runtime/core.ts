import type { Store } from "../store/types";
import type { Clock } from "./clock";
import type { Committer } from "./commit";
import type { EngineDeps } from "./deps";
import type { LiveJourneys } from "./live-journeys";

/** What the engine's command modules share: the store, the clock, the parts, the live set, the committer. */
export interface EngineCore {
  store: Store;
  clock: Clock;
  deps: EngineDeps;
  journeys: LiveJourneys;
  committer: Committer;
}
