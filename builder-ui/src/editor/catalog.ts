/** What the editor needs from the server before it can draw anything: node types, facts and templates. */
import { api } from "../api/client";
import type { FactEntry, NodeTypeCatalog, TemplateSummary } from "../../../engine/schema";

export interface Catalog {
  nodeTypes: NodeTypeCatalog;
  facts: FactEntry[];
  templates: TemplateSummary[];
}

export async function loadCatalog(): Promise<Catalog> {
  const [nodeTypes, facts, templates] = await Promise.all([
    api.nodeTypes(),
    api.facts().catch(() => [] as FactEntry[]),
    api.templates().catch(() => [] as TemplateSummary[]),
  ]);
  return { nodeTypes, facts, templates };
}
