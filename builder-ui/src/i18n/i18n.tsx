import { createContext, useCallback, useContext, useMemo, useState } from "react";
import type { ReactNode } from "react";
import type { MessageKey } from "./dict";
import { translate } from "./translate";
import type { Lang, Translate, Vars } from "./translate";

const LANG_KEY = "rekindle.lang";

function initialLang(): Lang {
  const stored = localStorage.getItem(LANG_KEY);
  if (stored === "en" || stored === "zh") return stored;
  return navigator.language.toLowerCase().startsWith("zh") ? "zh" : "en";
}

interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: Translate;
  /** Picks the language's text from a `{en, zh}` pair the server sent. */
  pick: (text: { en: string; zh: string } | string | undefined) => string;
  formatDate: (iso: string | null | undefined) => string;
  formatNumber: (n: number | null | undefined) => string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((l: Lang) => {
    localStorage.setItem(LANG_KEY, l);
    document.documentElement.lang = l === "zh" ? "zh-CN" : "en";
    setLangState(l);
  }, []);
  const value = useMemo<I18n>(() => {
    const locale = lang === "zh" ? "zh-CN" : "en-US";
    const dateFmt = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
    const numFmt = new Intl.NumberFormat(locale);
    return {
      lang,
      setLang,
      t: (key: MessageKey, vars?: Vars) => translate(lang, key, vars),
      pick: (text) => (text === undefined ? "" : typeof text === "string" ? text : text[lang] || text.en),
      formatDate: (iso) => {
        if (!iso) return "—";
        const d = new Date(iso);
        return Number.isNaN(d.getTime()) ? iso : dateFmt.format(d);
      },
      formatNumber: (n) => (n === null || n === undefined ? "—" : numFmt.format(n)),
    };
  }, [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error("useI18n outside I18nProvider");
  return ctx;
}
