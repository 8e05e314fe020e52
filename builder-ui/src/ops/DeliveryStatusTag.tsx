/** A delivery's status as a coloured tag, in the reader's language. */
import { OUTBOX_STATUSES } from "../../../engine/schema/statuses";
import type { OutboxStatus } from "../../../engine/schema/statuses";
import { useI18n } from "../i18n/i18n";

const TONE: Record<OutboxStatus, string> = {
  sent: "good",
  failed: "bad",
  retry: "warn",
  pending: "info",
  sending: "info",
};

export function DeliveryStatusTag({ status }: { status: string | undefined }) {
  const { t } = useI18n();
  if (!status || !(OUTBOX_STATUSES as readonly string[]).includes(status))
    return <span className="tag">{status ?? "—"}</span>;
  const s = status as OutboxStatus;
  return (
    <span className={`tag tag-${TONE[s]}`} data-delivery-status={s}>
      {t(`delivery.${s}`)}
    </span>
  );
}
