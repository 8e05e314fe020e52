/**
 * What publishing will do, measured before it does it: who each trigger reaches now (or a stated proxy),
 * an audience trigger's next runs in the journey's zone, live journeys that share a trigger, and the changes
 * against the live version. "Run now" enters a live audience trigger's customers without waiting.
 */
import { useState } from "react";
import type { PublishCheck, TriggerCheck } from "../../../../engine/schema";
import { api } from "../../api/client";
import { useI18n } from "../../i18n/i18n";
import { Spinner, errorText } from "../../ui/common";
import { DiffChips } from "../DiffChips";
import { audienceLine, audienceNote, formatFires, overlapLine } from "./format";

export function ConfidencePanel({
  journeyId,
  check,
  live,
}: {
  journeyId: string;
  check: PublishCheck;
  /** Whether the journey is live now (only a live journey's audience can run now). */
  live: boolean;
}) {
  const { t } = useI18n();
  return (
    <div className="publish-check" data-testid="publish-check">
      {!check.valid && <div className="notice notice-warn">{t("publishCheck.invalid")}</div>}
      <h3 className="sub-head">{t("publishCheck.reach")}</h3>
      {check.triggers.map((c) => (
        <TriggerReach key={c.nodeId} journeyId={journeyId} check={c} live={live} />
      ))}
      {check.overlaps.length > 0 ? (
        <div className="notice notice-warn" data-testid="publish-overlaps">
          <b>{t("publishCheck.overlapTitle")}</b>
          <span>{t("publishCheck.overlapText")}</span>
          <ul>
            {check.overlaps.map((o) => (
              <Overlap key={`${o.nodeId}/${o.journeyId}/${o.key}`} o={o} />
            ))}
          </ul>
        </div>
      ) : (
        <p className="muted small">{t("publishCheck.noOverlap")}</p>
      )}
      {check.diff && check.liveVersion !== null && (
        <>
          <h3 className="sub-head">{t("publishCheck.changes", { version: check.liveVersion })}</h3>
          <DiffChips diff={check.diff} />
        </>
      )}
    </div>
  );
}

function Overlap({ o }: { o: PublishCheck["overlaps"][number] }) {
  const { t, formatNumber } = useI18n();
  return (
    <li>
      <span data-user-content>{o.journeyName}</span> v{o.version}: {overlapLine(o, t, formatNumber)}
    </li>
  );
}

function TriggerReach({ journeyId, check, live }: { journeyId: string; check: TriggerCheck; live: boolean }) {
  const { t, lang, formatNumber } = useI18n();
  const [run, setRun] = useState<{ busy: boolean; done?: boolean; error?: string }>({ busy: false });
  const note = audienceNote(check, t, formatNumber);
  const fires = formatFires(check.nextFires, check.timezone ?? "UTC", lang);
  const runNow = (): void => {
    setRun({ busy: true });
    api.runAudience(journeyId, check.nodeId).then(
      () => setRun({ busy: false, done: true }),
      (e: unknown) => setRun({ busy: false, error: errorText(e, t) }),
    );
  };
  return (
    <div className="reach" data-testid={`reach-${check.nodeId}`}>
      <div className="reach-head">
        <b className="reach-number">{audienceLine(check, t, formatNumber)}</b>
        {note && <span className="muted small">{note}</span>}
      </div>
      {fires.length > 0 && (
        <div className="reach-fires">
          <span className="field-label">
            {t("publishCheck.nextFires", { timezone: check.timezone ?? "UTC" })}
          </span>
          <ol data-testid="next-fires">
            {fires.map((f, i) => (
              <li key={i}>{f}</li>
            ))}
          </ol>
        </div>
      )}
      {check.kind === "audience" && live && (
        <div className="reach-run">
          <button
            className="btn btn-sm"
            onClick={runNow}
            disabled={run.busy || run.done}
            data-testid="run-now"
          >
            {run.busy && <Spinner small />}
            {t("publishCheck.runNow")}
          </button>
          <span className="muted small" role="status">
            {run.done ? t("publishCheck.runQueued") : run.error ? "" : t("publishCheck.runNowHint")}
          </span>
          {run.error && <span className="form-error inline">{run.error}</span>}
        </div>
      )}
    </div>
  );
}
