/** The bar above the canvas: the journey's name and state, undo/redo, and the editor's commands. */
import type { JourneyDetail } from "../../../engine/schema";
import { useI18n } from "../i18n/i18n";
import { useSession } from "../session";
import { Spinner, StatusBadge } from "../ui/common";
import { href } from "../ui/router";
import type { SaveState } from "./useDraftSync";

export type EditorDialog = "publish" | "history" | "dryrun";

export function EditorToolbar({
  journeyId,
  name,
  mode,
  readOnly,
  status,
  liveVersion,
  save,
  saveError,
  canUndo,
  canRedo,
  onUndo,
  onRedo,
  onLayout,
  onOpen,
  canPublish,
  publishHint,
  onPauseResume,
}: {
  journeyId: string;
  name: string;
  mode: "edit" | "live";
  readOnly: boolean;
  status: JourneyDetail["status"];
  liveVersion: JourneyDetail["liveVersion"];
  save: SaveState;
  saveError: string | null;
  canUndo: boolean;
  canRedo: boolean;
  onUndo: () => void;
  onRedo: () => void;
  onLayout: () => void;
  onOpen: (dialog: EditorDialog) => void;
  canPublish: boolean;
  publishHint: string | undefined;
  onPauseResume: () => void;
}) {
  const { t } = useI18n();
  const { allows } = useSession();
  return (
    <div className="editor-bar">
      <a className="btn btn-ghost btn-sm" href={href({ name: "journeys" })}>
        ← {t("nav.journeys")}
      </a>
      <div className="editor-title">
        <span className="editor-name" title={name}>
          {name}
        </span>
        <StatusBadge status={status} />
        {liveVersion ? (
          <span className="version-tag">{t("editor.liveVersion", { version: liveVersion })}</span>
        ) : null}
        {mode === "edit" && !readOnly && <SaveIndicator state={save} error={saveError} />}
        {mode === "live" && <span className="version-tag live-tag">{t("live.viewing")}</span>}
      </div>
      <div className="editor-actions">
        {mode === "edit" && !readOnly && (
          <>
            <button
              className="icon-btn"
              onClick={onUndo}
              disabled={!canUndo}
              title={t("editor.undo")}
              aria-label={t("editor.undo")}
              data-testid="undo"
            >
              ↶
            </button>
            <button
              className="icon-btn"
              onClick={onRedo}
              disabled={!canRedo}
              title={t("editor.redo")}
              aria-label={t("editor.redo")}
              data-testid="redo"
            >
              ↷
            </button>
            <button className="btn btn-sm" onClick={onLayout} data-testid="auto-layout">
              {t("editor.autoLayout")}
            </button>
          </>
        )}
        <button className="btn btn-sm" onClick={() => onOpen("history")} data-testid="open-history">
          {t("editor.history")}
        </button>
        <button className="btn btn-sm" onClick={() => onOpen("dryrun")} data-testid="open-dryrun">
          {t("editor.dryRun")}
        </button>
        {mode === "edit" ? (
          liveVersion ? (
            <a className="btn btn-sm" href={href({ name: "live", id: journeyId })} data-testid="open-live">
              {t("editor.liveView")}
            </a>
          ) : null
        ) : (
          <a className="btn btn-sm" href={href({ name: "editor", id: journeyId })}>
            {t("live.editDraft")}
          </a>
        )}
        {liveVersion ? (
          <a
            className="btn btn-sm"
            href={href({ name: "results", id: journeyId })}
            data-testid="open-results"
          >
            {t("results.open")}
          </a>
        ) : null}
        {mode === "live" &&
          allows(status === "paused" ? "resume" : "pause") &&
          (status === "live" || status === "paused") && (
            <button
              className={status === "paused" ? "btn btn-sm btn-primary" : "btn btn-sm btn-warn"}
              onClick={onPauseResume}
              data-testid="pause-resume"
            >
              {status === "paused" ? t("live.resume") : t("live.pause")}
            </button>
          )}
        {mode === "edit" && allows("publish") && (
          <span title={publishHint}>
            <button
              className="btn btn-sm btn-primary"
              disabled={!canPublish}
              onClick={() => onOpen("publish")}
              data-testid="publish"
            >
              {t("editor.publish")}
            </button>
          </span>
        )}
      </div>
    </div>
  );
}

function SaveIndicator({ state, error }: { state: SaveState; error: string | null }) {
  const { t } = useI18n();
  return (
    <span
      className={`save-state save-${state}`}
      data-testid="save-state"
      data-state={state}
      title={error ?? undefined}
    >
      {state === "saving" && <Spinner small />}
      {state === "saved"
        ? t("editor.saved")
        : state === "saving"
          ? t("editor.saving")
          : state === "dirty"
            ? t("editor.unsaved")
            : t("editor.saveFailed")}
    </span>
  );
}
