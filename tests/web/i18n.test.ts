// @vitest-environment happy-dom
// The cockpit's translator (web/i18n/translate.ts): dotted keys, {name} placeholders, zh-CN as the
// fallback, a component's own messages before the app's, and every view following a language switch.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { defineComponent, h, nextTick } from 'vue';
import { createI18n, interpolate, useI18n } from '../../web/i18n/translate.ts';

const messages = {
  'zh-CN': { wall: { period: '{period} 月', only: '仅中文' }, common: { loading: '加载中…' } },
  en: { wall: { period: 'Month {period}' }, common: { loading: 'Loading…' } },
};

describe('translate', () => {
  it('looks a dotted key up in the current language and fills its placeholders', () => {
    const i18n = createI18n({ locale: 'en', messages });
    expect(i18n.global.t('wall.period', { period: '2026-10' })).toBe('Month 2026-10');
    expect(i18n.global.t('common.loading')).toBe('Loading…');
  });

  it('falls back to zh-CN, then to the key itself', () => {
    const i18n = createI18n({ locale: 'en', messages });
    expect(i18n.global.t('wall.only')).toBe('仅中文');
    expect(i18n.global.t('wall.nothing')).toBe('wall.nothing');
    expect(i18n.global.t('wall')).toBe('wall');
  });

  it('prints numbers as given and nothing for a placeholder without a value', () => {
    expect(interpolate('{a}/{b}，逾期 {c}', { a: 98, b: 111 })).toBe('98/111，逾期 ');
    expect(interpolate('{0} 项', [16])).toBe('16 项');
    expect(interpolate('no placeholders')).toBe('no placeholders');
  });

  it("gives a component its own messages first, the app's for the rest, and re-renders on a switch", async () => {
    const i18n = createI18n({ locale: 'zh-CN', messages });
    const Panel = defineComponent({
      setup() {
        const { t } = useI18n({ useScope: 'local', messages: { 'zh-CN': { title: '填报进度' }, en: { title: 'Reporting' } } });
        return () => h('p', `${t('title')} · ${t('common.loading')}`);
      },
    });
    const w = mount(Panel, { global: { plugins: [i18n] } });
    expect(w.text()).toBe('填报进度 · 加载中…');
    i18n.global.locale.value = 'en';
    await nextTick();
    expect(w.text()).toBe('Reporting · Loading…');
  });

  it('fetches a language missing from the messages when it is first chosen, once', async () => {
    const loads: string[] = [];
    const i18n = createI18n({ locale: 'zh-CN', messages: { 'zh-CN': messages['zh-CN'] }, load: async (l) => (loads.push(l), messages.en) });
    expect(i18n.global.t('common.loading')).toBe('加载中…');
    await i18n.global.setLocale('en');
    expect(i18n.global.locale.value).toBe('en');
    expect(i18n.global.t('common.loading')).toBe('Loading…');
    await i18n.global.setLocale('zh-CN');
    await i18n.global.setLocale('en');
    expect(loads).toEqual(['en']);
  });

  it('refuses to translate in a component of an app that did not install it', () => {
    const Bare = defineComponent({ setup: () => (useI18n(), () => null) });
    expect(() => mount(Bare)).toThrow(/install the i18n plugin/);
  });

  it("is the only translator: no file of the cockpit imports vue-i18n (it is not a dependency)", async () => {
    const web = path.resolve(import.meta.dirname, '../../web');
    const files = (await readdir(web, { recursive: true })).filter((f) => /\.(ts|vue)$/.test(f));
    const importers: string[] = [];
    for (const f of files) if (/from\s+['"]vue-i18n['"]/.test(await readFile(path.join(web, f), 'utf8'))) importers.push(f);
    expect(importers).toEqual([]);
  });
});
