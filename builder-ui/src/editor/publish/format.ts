/** Words and times of the publish check, pure so they are tested in both languages without a browser. */
import type { TriggerCheck, TriggerOverlap } from "../../../../engine/schema";
import type { MessageKey } from "../../i18n/dict";
import type { Lang, Translate } from "../../i18n/translate";

const STAGE_KEYS: Record<string, MessageKey> = {
  prospect: "stage.prospect",
  new: "stage.new",
  active: "stage.active",
  dormant: "stage.dormant",
  churned: "stage.churned",
};
export const stageLabel = (t: Translate, stage: string | undefined): string => {
  const key = stage === undefined ? undefined : STAGE_KEYS[stage];
  return key ? t(key) : (stage ?? "");
};

/**
 * Fire times as the reader reads them, in the schedule's zone (not the browser's): a marketer in Berlin
 * publishing a Shanghai journey sees 09:00, the time customers get it. An unparsable instant is dropped,
 * never shown as "Invalid Date" or NaN.
 */
export function formatFires(isos: readonly string[], timezone: string, lang: Lang): string[] {
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat(lang === "zh" ? "zh-CN" : "en-US", {
      timeZone: timezone,
      weekday: "short",
      year: "numeric",
      month: "short",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hour12: false,
    });
  } catch {
    return [];
  }
  return isos.flatMap((iso) => {
    const d = new Date(iso);
    return Number.isFinite(d.getTime()) ? [fmt.format(d)] : [];
  });
}

/** The one line saying how many customers a trigger reaches, and what that number is. */
export function audienceLine(c: TriggerCheck, t: Translate, formatNumber: (n: number) => string): string {
  const n = formatNumber(c.customers ?? 0);
  switch (c.measure) {
    case "matching_now":
      return t("publishCheck.matchingNow", { n });
    case "event_senders":
      return t("publishCheck.eventSenders", { n, event: c.event ?? "", days: c.sinceDays ?? 0 });
    case "at_stage_now":
      return t("publishCheck.atStageNow", { n, stage: stageLabel(t, c.stage) });
    case "manual":
      return t("publishCheck.manual");
  }
}

/** What the number is, when it is not simply the audience: a proxy, or an estimate from part of the base. */
export function audienceNote(
  c: TriggerCheck,
  t: Translate,
  formatNumber: (n: number) => string,
): string | null {
  const notes: string[] = [];
  if (c.measure === "event_senders") notes.push(t("publishCheck.eventProxy"));
  if (c.measure === "at_stage_now") notes.push(t("publishCheck.stageProxy"));
  if (c.estimated)
    notes.push(
      c.measure === "event_senders"
        ? t("publishCheck.eventCapped", { scanned: formatNumber(c.scanned) })
        : t("publishCheck.estimated", { scanned: formatNumber(c.scanned), total: formatNumber(c.total) }),
    );
  return notes.length ? notes.join(" ") : null;
}

/** One overlapping live journey as a sentence. */
export function overlapLine(o: TriggerOverlap, t: Translate, formatNumber: (n: number) => string): string {
  switch (o.kind) {
    case "event":
      return t("publishCheck.overlapEvent", { event: o.key });
    case "stage":
      return t("publishCheck.overlapStage", { stage: stageLabel(t, o.key) });
    case "audience":
      return t("publishCheck.overlapAudience", { n: formatNumber(o.sharedCustomers ?? 0) });
  }
}
