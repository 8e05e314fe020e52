/** The journey's lifecycle as the editor shows it: status, live version, and whether publishing makes sense. */
import { useState } from "react";
import { api } from "../api/client";
import type { JourneyDetail, ValidateResult } from "../../../engine/schema";
import type { Translate } from "../i18n/translate";
import { useI18n } from "../i18n/i18n";
import { errorText } from "../ui/common";
import type { SaveState } from "./useDraftSync";

export interface Lifecycle {
  status: JourneyDetail["status"];
  liveVersion: JourneyDetail["liveVersion"];
  /** The draft text that was last published from this screen, if any. */
  publishedText: string | null;
  onPublished: (version: number, draftText: string) => void;
  pauseResume: () => void;
}

export function useLifecycle(
  journey: JourneyDetail,
  showToast: (msg: string) => void,
  reloadJourney: () => void,
): Lifecycle {
  const { t } = useI18n();
  const [status, setStatus] = useState(journey.status);
  const [liveVersion, setLiveVersion] = useState(journey.liveVersion);
  const [publishedText, setPublishedText] = useState<string | null>(null);

  const onPublished = (version: number, draftText: string): void => {
    setPublishedText(draftText);
    setLiveVersion(version);
    setStatus((s) => (s === "draft" ? "live" : s));
    showToast(t("publish.done", { version }));
    reloadJourney();
  };

  const pauseResume = (): void => {
    const call = status === "paused" ? api.resume(journey.id) : api.pause(journey.id);
    call.then(
      (j) => {
        setStatus(j?.status ?? (status === "paused" ? "live" : "paused"));
        showToast(status === "paused" ? t("live.resumed") : t("live.paused"));
      },
      (e: unknown) => showToast(errorText(e, t)),
    );
  };

  return { status, liveVersion, publishedText, onPublished, pauseResume };
}

/** Whether the publish button is enabled, and if not, the reason shown on hover. */
export function publishGate(
  s: {
    readOnly: boolean;
    validation: ValidateResult | null;
    validating: boolean;
    save: SaveState;
    empty: boolean;
    /** Publishing the draft that was just published would only mint an identical version. */
    unchangedSincePublish: boolean;
  },
  t: Translate,
): { canPublish: boolean; publishHint: string | undefined } {
  const canPublish =
    !s.readOnly &&
    s.validation?.ok === true &&
    s.save === "saved" &&
    !s.validating &&
    !s.empty &&
    !s.unchangedSincePublish;
  const publishHint = s.readOnly
    ? undefined
    : s.validation && !s.validation.ok
      ? t("editor.publishBlocked", { n: s.validation.issues.length })
      : s.save !== "saved"
        ? t("editor.publishWaitSave")
        : s.unchangedSincePublish
          ? t("editor.publishNoChanges")
          : undefined;
  return { canPublish, publishHint };
}
