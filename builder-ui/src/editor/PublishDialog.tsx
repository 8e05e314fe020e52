/** Publishing asks for confirmation and says what happens to customers already in the journey. */
import { useState } from "react";
import type { ValidationIssue } from "../../../engine/schema";
import { ApiError, api } from "../api/client";
import { useI18n } from "../i18n/i18n";
import { Modal, Spinner, errorText, useAsync } from "../ui/common";

export function PublishDialog({
  journeyId,
  liveVersion,
  onClose,
  onPublished,
  onInvalid,
}: {
  journeyId: string;
  liveVersion: number | null;
  onClose: () => void;
  onPublished: (version: number) => void;
  onInvalid: (issues: ValidationIssue[]) => void;
}) {
  const { t, formatNumber } = useI18n();
  const stats = useAsync(
    () => (liveVersion ? api.stats(journeyId) : Promise.resolve(null)),
    [journeyId, liveVersion],
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const active = stats.data?.totals.active ?? 0;
  const next = (liveVersion ?? 0) + 1;
  const publish = (): void => {
    setBusy(true);
    api.publish(journeyId).then(
      (r) => onPublished(r.version),
      (e: unknown) => {
        setBusy(false);
        if (e instanceof ApiError && e.status === 409 && e.issues.length) onInvalid(e.issues);
        else setError(errorText(e, t));
      },
    );
  };
  return (
    <Modal
      title={liveVersion ? t("publish.titleUpdate", { version: next }) : t("publish.titleFirst")}
      onClose={onClose}
      testId="publish-dialog"
      footer={
        <>
          {error && <span className="form-error inline">{error}</span>}
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
    </Modal>
  );
}
