/**
 * A small i18n of our own (i18next 27 needs Node 22): two flat JSON dictionaries and a React context. The chosen
 * language is kept in localStorage; Chinese is the default. Ant Design's and antd-mobile's ConfigProviders get
 * their own locale from `lang` in the page shells.
 */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import caseEn from './locales/case.en-US.json';
import caseZh from './locales/case.zh-CN.json';
import deskEn from './locales/desk.en-US.json';
import deskZh from './locales/desk.zh-CN.json';
import enUS from './locales/en-US.json';
import recordingsEn from './locales/recordings.en-US.json';
import recordingsZh from './locales/recordings.zh-CN.json';
import zhCN from './locales/zh-CN.json';

export type Lang = 'zh-CN' | 'en-US';
export const LANGS: readonly Lang[] = ['zh-CN', 'en-US'];

type Dict = Record<string, string>;
/** The shared dictionary, then one per console area (the case desk, the expert desk, recordings), merged. */
const DICTS: Record<Lang, Dict> = {
  'zh-CN': { ...zhCN, ...caseZh, ...deskZh, ...recordingsZh },
  'en-US': { ...enUS, ...caseEn, ...deskEn, ...recordingsEn },
};
const STORAGE_KEY = 'weidai.lang';

export type Translate = (key: string, vars?: Record<string, string | number>) => string;

/** Looks a key up in the language, then in Chinese, then shows the key itself (a visible, greppable gap). */
export function translate(lang: Lang, key: string, vars?: Record<string, string | number>): string {
  const raw = DICTS[lang][key] ?? DICTS['zh-CN'][key] ?? key;
  if (!vars) return raw;
  return raw.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

export function hasKey(key: string): boolean {
  return key in DICTS['zh-CN'];
}

function initialLang(): Lang {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored === 'zh-CN' || stored === 'en-US') return stored;
    const q = new URLSearchParams(location.search).get('lang');
    if (q === 'zh-CN' || q === 'en-US') return q;
  } catch {
    // Storage can be disabled in a WebView; Chinese it is.
  }
  return 'zh-CN';
}

interface I18n {
  lang: Lang;
  setLang(l: Lang): void;
  t: Translate;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((l: Lang) => {
    setLangState(l);
    document.documentElement.lang = l;
    try {
      localStorage.setItem(STORAGE_KEY, l);
    } catch {
      // Not persisted; the choice holds for this page.
    }
  }, []);
  const t = useCallback<Translate>((key, vars) => translate(lang, key, vars), [lang]);
  const value = useMemo(() => ({ lang, setLang, t }), [lang, setLang, t]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(I18nContext);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}

/** A server text that may come in both languages ({ 'zh-CN': …, 'en-US': … }) or as one string. */
export function localized(v: unknown, lang: Lang): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const s = o[lang] ?? o['zh-CN'];
    if (typeof s === 'string') return s;
  }
  return '';
}
