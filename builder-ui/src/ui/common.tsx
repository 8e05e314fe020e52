/** Small building blocks shared by every screen: states, modal, badges, async loading. */
import { useCallback, useEffect, useRef, useState } from "react";
import type { ReactNode } from "react";
import { ApiError } from "../api/client";
import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/dict";

export function Spinner({ small }: { small?: boolean }) {
  return <span className={small ? "spinner spinner-sm" : "spinner"} aria-hidden="true" />;
}

export function Loading({ label }: { label?: string }) {
  const { t } = useI18n();
  return (
    <div className="state state-loading" role="status">
      <Spinner />
      <span>{label ?? t("common.loading")}</span>
    </div>
  );
}

export function errorText(err: unknown, t: (k: MessageKey) => string): string {
  if (err instanceof ApiError) {
    if (err.status === 0) return t("error.network");
    if (err.status === 403) return t("error.forbidden");
    if (err.status === 404) return t("error.notFound");
    return err.message;
  }
  return err instanceof Error ? err.message : String(err);
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  return (
    <div className="state state-error" role="alert">
      <div className="state-icon">!</div>
      <div className="state-title">{t("error.title")}</div>
      <div className="state-text">{errorText(error, t)}</div>
      {onRetry && (
        <button className="btn" onClick={onRetry}>
          {t("common.retry")}
        </button>
      )}
    </div>
  );
}

export function Empty({ title, text, action }: { title: string; text?: string; action?: ReactNode }) {
  return (
    <div className="state state-empty">
      <div className="state-illustration" aria-hidden="true">
        <svg width="56" height="56" viewBox="0 0 56 56" fill="none">
          <rect x="6" y="10" width="18" height="12" rx="3" stroke="currentColor" strokeWidth="2" />
          <rect x="32" y="34" width="18" height="12" rx="3" stroke="currentColor" strokeWidth="2" />
          <path d="M15 22v8a4 4 0 0 0 4 4h13" stroke="currentColor" strokeWidth="2" strokeDasharray="3 3" />
        </svg>
      </div>
      <div className="state-title">{title}</div>
      {text && <div className="state-text">{text}</div>}
      {action}
    </div>
  );
}

export function Modal({
  title,
  onClose,
  children,
  footer,
  wide,
  testId,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  wide?: boolean;
  testId?: string;
}) {
  const { t } = useI18n();
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === "Escape") onClose();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        className={wide ? "modal modal-wide" : "modal"}
        role="dialog"
        aria-modal="true"
        aria-label={title}
        data-testid={testId}
      >
        <div className="modal-head">
          <h2>{title}</h2>
          <button className="icon-btn" onClick={onClose} aria-label={t("common.close")}>
            ×
          </button>
        </div>
        <div className="modal-body">{children}</div>
        {footer && <div className="modal-foot">{footer}</div>}
      </div>
    </div>
  );
}

const STATUS_KEY: Record<string, MessageKey> = {
  draft: "status.draft",
  live: "status.live",
  paused: "status.paused",
  archived: "status.archived",
};

export function StatusBadge({ status }: { status: string }) {
  const { t } = useI18n();
  return (
    <span className={`badge badge-${status}`} data-status={status}>
      <span className="badge-dot" />
      {STATUS_KEY[status] ? t(STATUS_KEY[status]) : status}
    </span>
  );
}

export interface AsyncState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
  setData: (v: T) => void;
}

/**
 * Loads once per dependency change; `reload` fetches again. Stale answers are ignored. The lint checks
 * `deps` against `load` at each call, as it does for useEffect (exhaustive-deps' additionalHooks).
 */
export function useAsync<T>(load: () => Promise<T>, deps: readonly unknown[]): AsyncState<T> {
  const latest = useRef(load);
  useEffect(() => {
    latest.current = load;
  });
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  useEffect(() => {
    const mine = ++seq.current;
    setLoading(true);
    setError(undefined);
    latest.current().then(
      (v) => {
        if (mine !== seq.current) return;
        setData(v);
        setLoading(false);
      },
      (e: unknown) => {
        if (mine !== seq.current) return;
        setError(e);
        setLoading(false);
      },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller's deps, checked at each call site
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, reload, setData };
}

export function useInterval(fn: () => void, ms: number | null): void {
  const saved = useRef(fn);
  useEffect(() => {
    saved.current = fn;
  });
  useEffect(() => {
    if (ms === null) return;
    const id = window.setInterval(() => saved.current(), ms);
    return () => window.clearInterval(id);
  }, [ms]);
}

export function relativeTime(iso: string | undefined | null, lang: "en" | "zh"): string {
  if (!iso) return "—";
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return iso;
  const diff = (then - Date.now()) / 1000;
  const rtf = new Intl.RelativeTimeFormat(lang === "zh" ? "zh-CN" : "en", { numeric: "auto" });
  const abs = Math.abs(diff);
  if (abs < 60) return rtf.format(Math.round(diff), "second");
  if (abs < 3600) return rtf.format(Math.round(diff / 60), "minute");
  if (abs < 86400) return rtf.format(Math.round(diff / 3600), "hour");
  if (abs < 86400 * 30) return rtf.format(Math.round(diff / 86400), "day");
  return new Date(iso).toLocaleDateString(lang === "zh" ? "zh-CN" : "en");
}
