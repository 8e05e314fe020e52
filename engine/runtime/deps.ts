import type { ActionRegistry } from "../actions/registry";
import type { ActionLogger } from "../actions/types";
import type { Store } from "../store/types";
import type { Clock } from "./clock";
import type { CompiledJourney } from "./compiled";
import type { CustomerStateModel } from "./customer-state-model";
import type { Promotions } from "./promotions";
import type { TemplateRenderer } from "./template-renderer";

/** What the engine's parts share. Everything is injected; nothing reads the wall clock itself. */
export interface EngineDeps {
  store: Store;
  clock: Clock;
  registry: ActionRegistry;
  templates: TemplateRenderer;
  model: CustomerStateModel;
  log: ActionLogger;
  /** The journey version a run is pinned to. */
  version(versionId: number): Promise<CompiledJourney>;
  /** Channels whose deliveries count towards frequency caps. */
  messageChannels: readonly string[];
  /** Which arm promoteWinner splits' new entries take (spec §4). */
  promotions: Promotions;
  /** Simulation records a template it does not know with `rendered: null` instead of failing the step. */
  lenientTemplates: boolean;
}
