/**
 * Publishing with confidence: before the marketer confirms, the dialog measures who the draft reaches, when
 * an audience trigger runs next, which live journeys share a trigger, and what changed against the live
 * version (./publish); it offers a test send of a message step, and says what happens to customers already in
 * the journey.
 */
import { useState } from "react";
import type { Journey, ValidationIssue } from "../../../engine/schema";
import { ApiError, api } from "../api/client";
import { useI18n } from "../i18n/i18n";
import { ErrorState, Loading, Modal, Spinner, errorText, useAsync } from "../ui/common";
import type { Catalog } from "./catalog";
import { ConfidencePanel } from "./publish/ConfidencePanel";
import { TestSend } from "./publish/TestSend";

export function PublishDialog({
  journeyId,
  liveVersion,
  live,
  doc,
  catalog,
  onClose,
  onPublished,
  onInvalid,
}: {
  journeyId: string;
  liveVersion: number | null;
  /** The journey is live now (not paused): its audience triggers can run now. */
  live: boolean;
  doc: Journey;
  catalog: Catalog;
  onClose: () => void;
  onPublished: (version: number) => void;
  onInvalid: (issues: ValidationIssue[]) => void;
}) {
  const { t, formatNumber } = useI18n();
  const stats = useAsync(
    () => (liveVersion ? api.stats(journeyId) : Promise.resolve(null)),
    [journeyId, liveVersion],
  );
  const check = useAsync(() => api.publishCheck(journeyId), [journeyId]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const audienceTriggers = (check.data?.triggers ?? []).filter((c) => c.kind === "audience");
  const [runAfter, setRunAfter] = useState(false);
  const active = stats.data?.totals.active ?? 0;
  const next = (liveVersion ?? 0) + 1;
  const publish = (): void => {
    setBusy(true);
    api
      .publish(journeyId)
      .then(async (r) => {
        // Publishing succeeded whatever happens next: a refused run-now is shown, not a failed publish.
        if (runAfter)
          for (const c of audienceTriggers)
            await api.runAudience(journeyId, c.nodeId).catch((e: unknown) => setError(errorText(e, t)));
        onPublished(r.version);
      })
      .catch((e: unknown) => {
        setBusy(false);
        if (e instanceof ApiError && e.status === 409 && e.issues.length) onInvalid(e.issues);
        else setError(errorText(e, t));
      });
  };
  return (
    <Modal
      title={liveVersion ? t("publish.titleUpdate", { version: next }) : t("publish.titleFirst")}
      onClose={onClose}
      wide
      testId="publish-dialog"
      footer={
        <>
          {error && <span className="form-error inline">{error}</span>}
          {audienceTriggers.length > 0 && (
            <label className="field-check publish-run-after">
              <input
                type="checkbox"
                checked={runAfter}
                onChange={(e) => setRunAfter(e.target.checked)}
                data-testid="run-after-publish"
              />
              <span>{t("publishCheck.runAfterPublish")}</span>
            </label>
          )}
          <button className="btn" onClick={onClose}>
            {t("common.cancel")}
          </button>
          <button className="btn btn-primary" onClick={publish} disabled={busy} data-testid="publish-confirm">
            {busy && <Spinner small />}
            {liveVersion ? t("publish.confirmUpdate", { version: next }) : t("publish.confirmFirst")}
          </button>
        </>
      }
    >
      <div className="publish-grid">
        <div>
          {check.loading ? (
            <Loading />
          ) : check.error ? (
            <ErrorState error={check.error} onRetry={check.reload} />
          ) : check.data ? (
            <ConfidencePanel journeyId={journeyId} check={check.data} live={live} />
          ) : null}
          <TestSend journeyId={journeyId} doc={doc} catalog={catalog} />
        </div>
        <ul className="publish-points">
          {liveVersion ? (
            <>
              <li>
                <b>{t("publish.existingTitle", { n: formatNumber(active) })}</b>
                <span>{t("publish.existingText", { version: liveVersion })}</span>
              </li>
              <li>
                <b>{t("publish.newTitle")}</b>
                <span>{t("publish.newText", { version: next })}</span>
              </li>
            </>
          ) : (
            <li>
              <b>{t("publish.firstTitle")}</b>
              <span>{t("publish.firstText")}</span>
            </li>
          )}
          <li>
            <b>{t("publish.onceTitle")}</b>
            <span>{t("publish.onceText")}</span>
          </li>
          <li>
            <b>{t("publish.pauseTitle")}</b>
            <span>{t("publish.pauseText")}</span>
          </li>
        </ul>
      </div>
    </Modal>
  );
}
