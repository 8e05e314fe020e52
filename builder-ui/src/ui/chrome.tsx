import { useI18n } from "../i18n/i18n";

export function Logo({ size = 26 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true">
      <rect width="32" height="32" rx="8" fill="#ea580c" />
      <path d="M16 6c3 5 7 7 7 13a7 7 0 0 1-14 0c0-3 2-5 3-6 0 3 2 4 3 4-1-4 0-8 1-11z" fill="#fff" />
    </svg>
  );
}

export function LangSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <div className="lang-switch" role="group" aria-label={t("nav.language")}>
      <button className={lang === "zh" ? "active" : ""} onClick={() => setLang("zh")} data-lang="zh">
        {t("lang.zh")}
      </button>
      <button className={lang === "en" ? "active" : ""} onClick={() => setLang("en")} data-lang="en">
        {t("lang.en")}
      </button>
    </div>
  );
}
