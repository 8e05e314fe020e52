/** A journey diff in a line of chips: steps added, changed and removed, connections, settings. */
import { isEmptyDiff } from "../../../engine/schema";
import type { JourneyDiff } from "../../../engine/schema";
import { useI18n } from "../i18n/i18n";

export function DiffChips({ diff }: { diff: JourneyDiff }) {
  const { t } = useI18n();
  return (
    <div className="diff-summary" data-testid="diff-summary">
      {isEmptyDiff(diff) ? (
        <span className="muted">{t("history.noChanges")}</span>
      ) : (
        <>
          <span className="diff-chip diff-added">{t("history.added", { n: diff.nodes.added.length })}</span>
          <span className="diff-chip diff-changed">
            {t("history.changed", { n: diff.nodes.changed.length })}
          </span>
          <span className="diff-chip diff-removed">
            {t("history.removed", { n: diff.nodes.removed.length })}
          </span>
          <span className="diff-chip">
            {t("history.edges", { added: diff.edges.added.length, removed: diff.edges.removed.length })}
          </span>
          {diff.settings.changed.length > 0 && (
            <span className="diff-chip diff-changed">
              {t("history.settings", { keys: diff.settings.changed.join(", ") })}
            </span>
          )}
        </>
      )}
    </div>
  );
}
