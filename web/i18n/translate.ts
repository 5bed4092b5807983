// The cockpit's translations: `t('wall.panels.alerts', { period })` looks a dotted key up in the
// current language's messages (a component's own messages first), falls back to zh-CN, and fills
// {name} placeholders. That is all the cockpit asks of an i18n library: vue-i18n did the same for
// about 34 KB of gzipped JavaScript (its message compiler and formatters), an eighth of the wall's
// budget. The API mirrors vue-i18n's composition API (useI18n -> { t, locale }).
import { inject, ref, type App, type InjectionKey, type Ref } from 'vue';
import type { Locale } from '../../core/format.ts';

export interface Messages {
  [key: string]: string | Messages;
}
export type Values = Record<string, unknown> | unknown[];
export type Translate = (key: string, values?: Values) => string;

const FALLBACK: Locale = 'zh-CN';

function lookup(messages: Messages | undefined, key: string): string | undefined {
  let node: string | Messages | undefined = messages;
  for (const part of key.split('.')) {
    if (node === undefined || typeof node === 'string') return undefined;
    node = node[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/** '{name}' -> values.name ('{0}' -> values[0]); a placeholder without a value prints nothing. */
export function interpolate(text: string, values?: Values): string {
  if (!values) return text;
  const named = values as Record<string, unknown>;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => (named[name] === undefined || named[name] === null ? '' : String(named[name])));
}

/** A translator over message tables; the first table that has the key wins. Missing everywhere: the key. */
function translator(locale: Ref<Locale>, tables: () => (Partial<Record<Locale, Messages>> | undefined)[]): Translate {
  return (key, values) => {
    for (const lang of locale.value === FALLBACK ? [FALLBACK] : [locale.value, FALLBACK]) {
      for (const table of tables()) {
        const text = lookup(table?.[lang], key);
        if (text !== undefined) return interpolate(text, values);
      }
    }
    return key;
  };
}

/** A translator fixed to one language, outside any app (the server's drawings of the wall's charts). */
export function translatorFor(locale: Locale, messages: Partial<Record<Locale, Messages>>): Translate {
  return translator(ref(locale), () => [messages]);
}

export interface I18n {
  global: {
    locale: Ref<Locale>;
    t: Translate;
    messages: Partial<Record<Locale, Messages>>;
    /** switch the language, loading its messages first when they are not there yet */
    setLocale(locale: Locale): Promise<void>;
  };
  install(app: App): void;
}

const I18N: InjectionKey<I18n> = Symbol('i18n');

/**
 * The app's i18n: `app.use(createI18n(...))`; `global.locale` switches every view. Languages missing
 * from `messages` are fetched by `load` when first chosen (setLocale), so a page ships only its own.
 */
export function createI18n(opts: { locale: Locale; messages: Partial<Record<Locale, Messages>>; load?: (locale: Locale) => Promise<Messages> }): I18n {
  const locale = ref<Locale>(opts.locale);
  const messages = opts.messages;
  const i18n: I18n = {
    global: {
      locale,
      t: translator(locale, () => [messages]),
      messages,
      async setLocale(next) {
        if (!messages[next] && opts.load) messages[next] = await opts.load(next);
        locale.value = next;
      },
    },
    install(app) {
      app.provide(I18N, i18n);
    },
  };
  return i18n;
}

/** In a component's setup: its translator and the language; `messages` are the component's own (looked up first). */
export function useI18n(opts: { useScope?: 'local' | 'global'; messages?: Record<Locale, Messages> } = {}): { t: Translate; locale: Ref<Locale>; setLocale: I18n['global']['setLocale'] } {
  const i18n = inject(I18N, null);
  if (!i18n) throw new Error('useI18n: install the i18n plugin (app.use(makeI18n()))');
  const local = opts.messages;
  const { locale, setLocale } = i18n.global;
  return { locale, setLocale, t: local ? translator(locale, () => [local, i18n.global.messages]) : i18n.global.t };
}
