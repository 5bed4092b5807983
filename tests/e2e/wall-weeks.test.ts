// A wall that runs for weeks, in a real browser against the real server: the scaling modes on odd
// screens (a 6656x1792 LED wall, a 3840x1080 double screen, a 1080x1920 portrait screen), the
// per-panel 数据截至 mark, the playlist of whole wall pages, and the daily self-reload, including
// a reload due while the server is down.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../core/paths.ts';
import { browserAvailable, launch, type Browser } from './browser.ts';
import { startCockpit, type Cockpit } from './harness.ts';

const artifacts = path.join(repoRoot, 'tests', 'artifacts');
const run = browserAvailable();

let cockpit: Cockpit;
let browser: Browser;

const PANELS = ['kpis', 'map', 'rankings', 'mediation-trend', 'member-growth', 'countdown', 'reporting', 'alerts', 'briefing'];

async function everyPanelDrawn(page: Page) {
  await page.waitForFunction(
    (names) =>
      names.every((name) => {
        const el = document.querySelector(`[data-panel="${name}"]`);
        return el?.getAttribute('data-state') === 'ready' && [...el.querySelectorAll('.echart')].every((c) => c.getAttribute('data-drawn') === 'true');
      }),
    PANELS,
    { timeout: 60_000 },
  );
}

/** "hh:mm:ss" `seconds` from now in the browser's local time (the screen's clock). */
const browserTimeIn = (page: Page, seconds: number) =>
  page.evaluate((s) => {
    const d = new Date(Date.now() + s * 1000);
    return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
  }, seconds);

describe.skipIf(!run)('a wall that runs for weeks', () => {
  beforeAll(async () => {
    await mkdir(artifacts, { recursive: true });
    cockpit = await startCockpit();
    browser = await launch();
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await cockpit?.close();
  });

  for (const [width, height, layout, rem] of [
    [6656, 1792, 'wide', 26],
    [3840, 1080, 'wide', 16],
    [1080, 1920, 'portrait', 16],
  ] as const) {
    it(`native at ${width}x${height}: a ${layout} layout, text at ${rem}px unscaled, charts at the screen's pixels, nothing overflows or overlaps`, async () => {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width, height });
      await page.goto(`${cockpit.url}/wall?token=${cockpit.displayToken}&rotate=0&refresh=60&scale=native`);
      await everyPanelDrawn(page);
      await page.waitForTimeout(1000);
      const report = await page.evaluate(() => {
        const W = window.innerWidth;
        const H = window.innerHeight;
        const box = (el: Element) => el.getBoundingClientRect();
        const outside = [...document.querySelectorAll('body *')]
          .map((el) => ({ el, r: box(el) }))
          .filter(({ r }) => r.width > 0 && r.height > 0 && (r.left < -0.5 || r.top < -0.5 || r.right > W + 0.5 || r.bottom > H + 0.5))
          .map(({ el }) => `${el.tagName.toLowerCase()}.${el.className}`);
        const clipped = [...document.querySelectorAll('.wall-panel-body, .kpi, .kpi-sub, .kpi-value')]
          .filter((el) => el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1)
          .map((el) => el.closest('[data-panel]')?.getAttribute('data-panel') ?? el.className);
        // Panels and tiles pairwise: no two share any area.
        const blocks = [...document.querySelectorAll('.wall-panel, .kpi')].map((el) => ({ name: el.getAttribute('data-panel') ?? el.getAttribute('data-kpi'), r: box(el) }));
        const overlaps: string[] = [];
        for (let i = 0; i < blocks.length; i++)
          for (let j = i + 1; j < blocks.length; j++) {
            const a = blocks[i].r;
            const b = blocks[j].r;
            const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
            const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
            if (w > 0.5 && h > 0.5) overlaps.push(`${blocks[i].name}/${blocks[j].name}`);
          }
        // Nothing is scaled by a transform or zoom, anywhere on the page.
        const scaled = [...document.querySelectorAll('*')]
          .filter((el) => {
            const s = getComputedStyle(el);
            if (s.zoom !== '1' && s.zoom !== '') return true;
            if (s.transform === 'none') return false;
            const m = new DOMMatrixReadOnly(s.transform);
            return Math.abs(m.a - 1) > 1e-6 || Math.abs(m.d - 1) > 1e-6 || m.b !== 0 || m.c !== 0;
          })
          .map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
        const canvases = [...document.querySelectorAll('.echart canvas')].map((c) => ({ css: box(c).width, backing: (c as HTMLCanvasElement).width }));
        return {
          outside,
          clipped,
          overlaps,
          scaled,
          canvases,
          panels: blocks.length,
          layout: document.querySelector('[data-testid=wall]')?.getAttribute('data-layout'),
          rootPx: getComputedStyle(document.documentElement).fontSize,
          titlePx: getComputedStyle(document.querySelector('.wall-brand h1')!).fontSize,
        };
      });
      await page.screenshot({ path: path.join(artifacts, `wall-native-${width}x${height}.png`) });
      expect(report.layout).toBe(layout);
      expect(report.rootPx).toBe(`${rem}px`);
      // the title is 1.6rem: drawn at its final pixel size
      expect(report.titlePx).toBe(`${rem * 1.6}px`);
      expect(report.panels).toBe(8 + 8);
      expect(report.outside).toEqual([]);
      expect(report.clipped).toEqual([]);
      expect(report.overlaps).toEqual([]);
      expect(report.scaled).toEqual([]);
      expect(report.canvases.length).toBeGreaterThanOrEqual(4);
      for (const c of report.canvases) expect(Math.abs(c.backing - c.css)).toBeLessThanOrEqual(2);
      await page.close();
    }, 120_000);
  }

  it('fit letterboxes the 16:9 design in the middle of a 3840x1080 screen; fill takes the whole screen', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 3840, height: 1080 });
    const wallBox = () => page.locator('[data-testid=wall]').boundingBox();
    await page.goto(`${cockpit.url}/wall?token=${cockpit.displayToken}&rotate=0&refresh=60&scale=fit`);
    await everyPanelDrawn(page);
    const fit = (await wallBox())!;
    expect(fit.height).toBeCloseTo(1080, 0);
    expect(fit.width).toBeCloseTo(1920, 0);
    expect(fit.x).toBeCloseTo((3840 - 1920) / 2, 0);
    await page.goto(`${cockpit.url}/wall?token=${cockpit.displayToken}&rotate=0&refresh=60&scale=fill`);
    await everyPanelDrawn(page);
    expect(await wallBox()).toEqual({ x: 0, y: 0, width: 3840, height: 1080 });
    await page.close();
  }, 120_000);

  it('marks a panel or tile whose data ends before the wall month with 数据截至 (a tile: 截至9月 within the year), and only those', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.goto(`${cockpit.url}/wall?token=${cockpit.displayToken}&rotate=0&refresh=60`);
    await everyPanelDrawn(page);
    const headers = { authorization: `Bearer ${cockpit.displayToken}` };
    const meta = await (await page.request.get(`${cockpit.url}/api/meta`, { headers })).json();
    const overview = await (await page.request.get(`${cockpit.url}/api/overview`, { headers })).json();
    const month = (meta.snapshot.newest_data as string).slice(0, 7);
    // a tile's label shares its line with the mark, so the mark is short: the month alone within the wall's year
    const mark = (to: string) => (to.slice(0, 4) === month.slice(0, 4) ? `截至${Number(to.slice(5, 7))}月` : `截至${to.slice(0, 7)}`);
    const expected = Object.fromEntries(
      (overview.kpis as { key: string; to: string | null }[]).map((k) => [k.key, k.to && k.to < month ? mark(k.to) : null]),
    );
    const shown = await page.evaluate(() =>
      Object.fromEntries([...document.querySelectorAll('[data-kpi]')].map((el) => [el.getAttribute('data-kpi'), el.querySelector('.as-of-mark')?.textContent ?? null])),
    );
    for (const [key, text] of Object.entries(shown)) expect(text, key).toBe(expected[key]);
    // the data this test runs on has quarterly tiles a quarter behind the month: the mark is exercised
    expect(Object.values(shown).filter(Boolean).length).toBeGreaterThan(0);
    // the panels current to the month say nothing
    expect(await page.locator('[data-panel="rankings"] .as-of-mark').count()).toBe(0);
    await page.close();
  }, 120_000);

  it('a playlist turns whole wall pages: the province, then a city filtered to that city', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1920, height: 1080 });
    // 5 s a page, run 5x faster: a page a second
    await page.goto(`${cockpit.url}/wall?token=${cockpit.displayToken}&rotate=0&refresh=60&playlist=province,450100&page=5&speed=5`);
    const unit = () => page.locator('[data-testid=wall]').getAttribute('data-unit');
    // The province page in one read too: its unit and its figure, not the next page's (a page a second)
    const provincePage = () =>
      page.evaluate(() => ({
        unit: document.querySelector('[data-testid=wall]')?.getAttribute('data-unit') ?? null,
        members: document.querySelector('[data-kpi="members"] .num')?.textContent ?? null,
      }));
    let province = await provincePage();
    await expect
      .poll(async () => ((province = await provincePage()), province.unit === '450000' && province.members !== null), { timeout: 15_000 })
      .toBe(true);
    const provinceMembers = province.members;
    const headers = { authorization: `Bearer ${cockpit.displayToken}` };
    const nanning = await (await page.request.get(`${cockpit.url}/api/rankings?set=county47&city=450100`, { headers })).json();
    const names = new Set((nanning.rows as { unit: { short_name: string } }[]).map((r) => r.unit.short_name));
    // One read of the whole page, so the next turn cannot slip between its parts (a page a second)
    const shown = () =>
      page.evaluate(() => ({
        unit: document.querySelector('[data-testid=wall-unit]')?.textContent ?? null,
        members: document.querySelector('[data-kpi="members"] .num')?.textContent ?? null,
        listed: [...document.querySelectorAll('[data-panel="rankings"] [data-page="counties"] .name')].map((e) => e.textContent ?? ''),
      }));
    await expect.poll(unit, { timeout: 15_000 }).toBe('450100');
    let city = await shown();
    await expect
      .poll(async () => ((city = await shown()), city.unit === '南宁市' && city.listed.length > 0), { timeout: 15_000 })
      .toBe(true);
    // the city's own figures and its own counties
    expect(city.members).not.toBe(provinceMembers);
    for (const n of city.listed) expect(names.has(n), n).toBe(true);
    // and back to the province
    await expect.poll(unit, { timeout: 15_000 }).toBe('450000');
    await page.close();
  }, 120_000);

  it('reloads itself at the set time and comes back with its URL and rotation', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.goto(`${cockpit.url}/wall?token=${cockpit.displayToken}&refresh=60&rotate=1`);
    const at = await browserTimeIn(page, 15);
    const url = `${cockpit.url}/wall?token=${cockpit.displayToken}&refresh=60&rotate=1&scale=native&reload=${at}`;
    await page.goto(url);
    await page.evaluate(() => ((window as unknown as { beforeReload: boolean }).beforeReload = true));
    await everyPanelDrawn(page);
    await page.waitForFunction(() => !(window as unknown as { beforeReload?: boolean }).beforeReload, null, { timeout: 30_000 });
    expect(await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).type)).toBe('reload');
    expect(page.url()).toBe(url);
    await everyPanelDrawn(page);
    expect(await page.locator('[data-testid=wall]').getAttribute('data-layout')).toBe('standard');
    expect(await page.evaluate(() => document.documentElement.classList.contains('wall-native'))).toBe(true);
    // the rotation goes on
    const on = () => page.locator('[data-panel="rankings"] .page.on').getAttribute('data-page');
    const first = await on();
    await expect.poll(on, { timeout: 5000 }).not.toBe(first);
    await page.close();
  }, 120_000);

  it('a reload due while the server is down waits, keeps the wall on screen, and happens once the server is back', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.goto(`${cockpit.url}/wall?token=${cockpit.displayToken}&refresh=60&rotate=0`);
    const at = await browserTimeIn(page, 20);
    const due = Date.now() + 20_000;
    // speed=30: the reload retries every second
    await page.goto(`${cockpit.url}/wall?token=${cockpit.displayToken}&refresh=60&rotate=0&speed=30&reload=${at}`);
    await page.evaluate(() => ((window as unknown as { beforeReload: boolean }).beforeReload = true));
    await everyPanelDrawn(page);
    await cockpit.stop();
    try {
      await page.waitForTimeout(Math.max(0, due - Date.now()) + 4000);
      // past the hour: still the same page, the wall and its data on screen, no browser error page
      expect(await page.evaluate(() => (window as unknown as { beforeReload?: boolean }).beforeReload)).toBe(true);
      expect(await page.locator('[data-kpi="mediation_rate"] .num').textContent()).toMatch(/^\d+\.\d{2}$/);
    } finally {
      await cockpit.restart();
    }
    await page.waitForFunction(() => !(window as unknown as { beforeReload?: boolean }).beforeReload, null, { timeout: 30_000 });
    await everyPanelDrawn(page);
    await page.close();
  }, 120_000);
});
