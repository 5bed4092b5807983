// zh-CN by default; English on the switch. The choice is kept per browser and can be forced with
// ?lang=en (a wall screen's URL).
import type { Locale } from '../../core/format.ts';
import { LOCALE_KEY as KEY } from './locale-key.ts';
import { createI18n } from './translate.ts';
import zhCN from './zh-CN.ts';

export { useI18n } from './translate.ts';

export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];

export function initialLocale(search = typeof location === 'undefined' ? '' : location.search): Locale {
  const forced = new URLSearchParams(search).get('lang');
  if (forced === 'en' || forced === 'zh-CN') return forced;
  try {
    const kept = localStorage.getItem(KEY);
    if (kept === 'en' || kept === 'zh-CN') return kept;
  } catch {
    /* storage blocked: use the default */
  }
  return 'zh-CN';
}

/** Mark the page's language (screen readers, fonts). */
export function applyLocale(locale: Locale): void {
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
}

/** The user switched: remember it for this browser. (A ?lang= in a wall's URL is not remembered.) */
export function keepLocale(locale: Locale): void {
  try {
    localStorage.setItem(KEY, locale);
  } catch {
    /* ignore */
  }
  applyLocale(locale);
}

/** zh-CN, with English fetched when first chosen (a separate chunk: a Chinese wall does not load it). */
export function makeI18n() {
  return createI18n({ locale: 'zh-CN', messages: { 'zh-CN': zhCN }, load: async () => (await import('./en.ts')).default });
}

export type MessageSchema = typeof zhCN;
