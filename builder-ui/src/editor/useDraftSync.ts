/**
 * Keeps the server's draft in step with the canvas: autosave shortly after each change, validation after
 * each save, and a warning before the page is left with changes not yet saved.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import type { RefObject } from "react";
import type { Journey } from "../../../engine/schema";
import { api } from "../api/client";
import type { ValidateResult } from "../../../engine/schema";
import { flowToJourney } from "../graph/convert";
import { useI18n } from "../i18n/i18n";
import { errorText } from "../ui/common";
import type { GraphSnap } from "./useDraftGraph";

export type SaveState = "saved" | "saving" | "dirty" | "error";

const AUTOSAVE_MS = 700;

export interface DraftSync {
  save: SaveState;
  saveError: string | null;
  validation: ValidateResult | null;
  setValidation: (v: ValidateResult) => void;
  validating: boolean;
  /** The journey document for the graph on screen now. */
  docNow: () => Journey;
  /** The JSON text of the draft the server holds. */
  lastSaved: RefObject<string>;
}

export function useDraftSync({
  journeyId,
  doc,
  initial,
  graph,
  current,
  readOnly,
}: {
  journeyId: string;
  /** The document the editor opened; fields the canvas does not edit are carried over from it. */
  doc: Journey;
  initial: GraphSnap;
  graph: GraphSnap;
  current: RefObject<GraphSnap>;
  readOnly: boolean;
}): DraftSync {
  const { t } = useI18n();
  const [save, setSave] = useState<SaveState>("saved");
  const [saveError, setSaveError] = useState<string | null>(null);
  const [validation, setValidation] = useState<ValidateResult | null>(null);
  const [validating, setValidating] = useState(false);
  const lastSaved = useRef(JSON.stringify(flowToJourney(initial)));

  const validate = useCallback(
    async (d: Journey) => {
      setValidating(true);
      try {
        setValidation(await api.validate(journeyId, d));
      } catch (e) {
        setValidation({ ok: false, issues: [{ path: "", message: errorText(e, t) }], warnings: [] });
      } finally {
        setValidating(false);
      }
    },
    [journeyId, t],
  );

  const docNow = useCallback((): Journey => flowToJourney(current.current, doc), [current, doc]);

  const saveNow = useCallback(async (): Promise<boolean> => {
    const d = docNow();
    const text = JSON.stringify(d);
    if (text === lastSaved.current) {
      setSave("saved");
      return true;
    }
    setSave("saving");
    try {
      await api.saveDraft(journeyId, d);
      lastSaved.current = text;
      setSave(JSON.stringify(docNow()) === text ? "saved" : "dirty");
      setSaveError(null);
      void validate(d);
      return true;
    } catch (e) {
      setSave("error");
      setSaveError(errorText(e, t));
      return false;
    }
  }, [docNow, journeyId, t, validate]);

  useEffect(() => {
    void validate(flowToJourney(initial));
  }, [initial, validate]);

  const { meta, nodes, edges } = graph;
  useEffect(() => {
    if (readOnly) return;
    const text = JSON.stringify(flowToJourney({ meta, nodes, edges }, doc));
    if (text === lastSaved.current) return;
    setSave("dirty");
    const id = window.setTimeout(() => void saveNow(), AUTOSAVE_MS);
    return () => window.clearTimeout(id);
  }, [meta, nodes, edges, readOnly, saveNow, doc]);

  useEffect(() => {
    const warn = (e: BeforeUnloadEvent): void => {
      if (save === "dirty" || save === "saving") e.preventDefault();
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [save]);

  return { save, saveError, validation, setValidation, validating, docNow, lastSaved };
}
