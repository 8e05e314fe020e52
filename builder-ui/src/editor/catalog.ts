/** What the editor needs before it can draw anything: node types and templates from the server, and facts. */
import { api } from "../api/client";
import { FACTS_CATALOG } from "../../../engine/schema";
import type { FactEntry, NodeTypeCatalog, TemplateSummary } from "../../../engine/schema";

export interface Catalog {
  nodeTypes: NodeTypeCatalog;
  /** The contract's facts catalog, the one the server's facts route serves: built in, so never missing. */
  facts: readonly FactEntry[];
  templates: TemplateSummary[];
}

export async function loadCatalog(): Promise<Catalog> {
  const [nodeTypes, templates] = await Promise.all([
    api.nodeTypes(),
    api.templates().catch(() => [] as TemplateSummary[]),
  ]);
  return { nodeTypes, facts: FACTS_CATALOG, templates };
}
