import { createContext, useContext } from "react";
import type { ValidationIssue } from "../../../engine/schema";
import type { ActionType, NodeStats, TemplateSummary } from "../../../engine/schema";
import type { FactOption } from "../graph/facts";
import type { ArmRates } from "./useArmRates";

export type DiffStatus = "added" | "removed" | "changed" | "same";

export interface EditorEnv {
  mode: "edit" | "live" | "diff";
  facts: readonly FactOption[];
  actions: readonly ActionType[];
  templates: readonly TemplateSummary[];
  issuesByNode: ReadonlyMap<string, ValidationIssue[]>;
  /** Per-node counts: live stats or a dry run's. */
  counts: Readonly<Record<string, NodeStats>> | null;
  diff?: ReadonlyMap<string, DiffStatus>;
  actionPorts: (action: string) => readonly string[];
  /** Each split's arms and their conversion rates, when the journey has results. */
  armRates?: ArmRates | null;
}

export const EditorContext = createContext<EditorEnv | null>(null);

export function useEditorEnv(): EditorEnv {
  const env = useContext(EditorContext);
  if (!env) throw new Error("useEditorEnv outside EditorContext");
  return env;
}

export const EMPTY_ISSUES: ReadonlyMap<string, ValidationIssue[]> = new Map();
