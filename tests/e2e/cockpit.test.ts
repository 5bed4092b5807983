// The cockpit in a real browser (Debian Chromium via playwright-core) against the real server on
// 127.0.0.1 with a warehouse loaded through the ETL. Panels whose endpoint the server does not have
// yet must say so ("unavailable"); every other panel must draw with data.
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatQuantity } from '../../core/format.ts';
import { repoRoot } from '../../core/paths.ts';
import { browserAvailable, launch, type Browser } from './browser.ts';
import { signIn, startCockpit, type Cockpit } from './harness.ts';

const artifacts = path.join(repoRoot, 'tests', 'artifacts');
const run = browserAvailable();

let cockpit: Cockpit;
let browser: Browser;


/** Wall panel titles drawn narrower than their own text (cut, or an ellipsis over their last character). */
function cutTitles(): string[] {
  return [...document.querySelectorAll<HTMLElement>('.wall-panel-head h2, .kpi-label')]
    .filter((h) => {
      const free = h.cloneNode(true) as HTMLElement;
      free.style.cssText = 'position: absolute; visibility: hidden; max-width: none; width: max-content';
      h.parentElement!.append(free);
      const natural = free.getBoundingClientRect().width;
      free.remove();
      return h.getBoundingClientRect().width < natural;
    })
    .map((h) => h.textContent ?? '');
}

describe.skipIf(!run)('cockpit in Chromium', () => {
  beforeAll(async () => {
    await mkdir(artifacts, { recursive: true });
    cockpit = await startCockpit();
    browser = await launch();
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await cockpit?.close();
  });

  const PANELS = ['kpis', 'map', 'rankings', 'mediation-trend', 'member-growth', 'countdown', 'reporting', 'alerts', 'briefing'];

  for (const [width, height, lang] of [
    [1920, 1080, 'zh-CN'],
    [3840, 2160, 'zh-CN'],
    [1920, 1080, 'en'],
  ] as const) {
    it(`the wall at ${width}x${height} (${lang}) draws every panel and nothing overflows`, async () => {
      const page = await browser.context.newPage();
      // Zero console errors at load (a missing /favicon.ico used to log a 404 on every cold load).
      const consoleErrors: string[] = [];
      page.on('console', (m) => void (m.type() === 'error' && consoleErrors.push(`${m.text()} ${m.location().url}`)));
      page.on('pageerror', (e) => void consoleErrors.push(e.message));
      await page.setViewportSize({ width, height });
      await page.goto(`${cockpit.url}/wall?token=${cockpit.displayToken}&rotate=0&refresh=60&lang=${lang}`);
      await page.waitForFunction(
        (names) =>
          names.every((name) => {
            const el = document.querySelector(`[data-panel="${name}"]`);
            if (!el || el.getAttribute('data-state') !== 'ready') return false;
            const charts = [...el.querySelectorAll('.echart')];
            return charts.every((c) => c.getAttribute('data-drawn') === 'true');
          }),
        PANELS,
        { timeout: 30_000 },
      );
      // Give the charts' entry animation time to finish before the picture.
      await page.waitForTimeout(1200);
      const titles = await page.evaluate(cutTitles);
      const report = await page.evaluate(() => {
        const W = window.innerWidth;
        const H = window.innerHeight;
        const outside = [...document.querySelectorAll('body *')]
          .map((el) => ({ el, r: el.getBoundingClientRect() }))
          .filter(({ r }) => r.width > 0 && r.height > 0 && (r.left < -0.5 || r.top < -0.5 || r.right > W + 0.5 || r.bottom > H + 0.5))
          .map(({ el, r }) => `${el.tagName.toLowerCase()}.${el.className} ${Math.round(r.left)},${Math.round(r.top)} ${Math.round(r.right)}x${Math.round(r.bottom)}`);
        // A panel whose content is taller than the panel would be cut off.
        const clipped = [...document.querySelectorAll('.wall-panel-body, .kpi, .kpi-sub, .kpi-value')]
          .filter((el) => el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1)
          .map((el) => el.closest('[data-panel]')?.getAttribute('data-panel') ?? el.className);
        const canvases = [...document.querySelectorAll('.echart canvas')].map((c) => ({
          css: (c as HTMLCanvasElement).getBoundingClientRect().width,
          backing: (c as HTMLCanvasElement).width,
        }));
        return {
          outside,
          clipped,
          canvases,
          scroll: { w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight, W, H },
          cursor: getComputedStyle(document.querySelector('.wall')!).cursor,
          kpiValues: [...document.querySelectorAll('[data-kpi] .num')].map((e) => e.textContent),
          reporting: document.querySelector('[data-testid=reporting-completeness]')?.textContent?.replace(/\s+/g, '') ?? null,
          // the shown map page's colour legend: top and bottom of the range, the bar between them
          legend: [...document.querySelectorAll('[data-panel="map"] .page.on [data-testid=map-legend] > *')].map((e) =>
            e.tagName === 'I' ? `${Math.round(e.getBoundingClientRect().height)}px ${getComputedStyle(e).backgroundImage.startsWith('linear-gradient') ? 'gradient' : 'none'}` : e.textContent,
          ),
        };
      });
      await page.screenshot({ path: path.join(artifacts, `wall-${width}x${height}${lang === 'en' ? '-en' : ''}.png`) });
      expect(report.outside).toEqual([]);
      expect(report.clipped).toEqual([]);
      // Every panel title and tile label reads whole (a tile's 数据截至 mark beside it is short).
      expect(titles).toEqual([]);
      expect(report.scroll.w).toBeLessThanOrEqual(report.scroll.W);
      expect(report.scroll.h).toBeLessThanOrEqual(report.scroll.H);
      expect(report.cursor).toBe('none');
      // Charts are drawn at the screen's resolution, not stretched: backing pixels = CSS pixels x ratio.
      for (const c of report.canvases) expect(Math.abs(c.backing - c.css)).toBeLessThanOrEqual(2);
      // Every headline figure is there; the mediation rate with two decimals.
      expect(report.kpiValues).toHaveLength(8);
      expect(report.kpiValues.filter((v) => v === '—')).toEqual([]);
      expect(report.kpiValues[1]).toMatch(/^\d+\.\d{2}$/);
      // This period's reporting completeness, counts only (GET /api/reporting/totals).
      expect(report.reporting).toMatch(lang === 'en' ? /^Reported\d+\/111，overdue\d+/ : /^本月已报\d+\/111，逾期\d+\d{4}-\d{2}报表$/);
      // The map's colour legend (HTML beside the chart): the range's ends as scores, a 90 px bar at 1080p (scaled on 4K).
      expect(report.legend).toHaveLength(3);
      expect(report.legend[0]).toMatch(/^\d+\.\d$/);
      expect(report.legend[2]).toMatch(/^\d+\.\d$/);
      expect(Number(report.legend[0])).toBeGreaterThan(Number(report.legend[2]));
      expect(report.legend[1]).toBe(`${Math.round((90 * height) / 1080)}px gradient`);
      expect(consoleErrors).toEqual([]);
      await page.close();
    }, 90_000);
  }

  it('the rankings title and its caption both read whole at 1080p (year to date, and score=final with its 数据截至 mark), in both languages', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1920, height: 1080 });
    for (const lang of ['zh-CN', 'en']) {
      for (const score of ['ytd', 'final']) {
        await page.goto(`${cockpit.url}/wall?token=${cockpit.displayToken}&rotate=0&score=${score}&lang=${lang}`);
        await page.waitForSelector('[data-panel="rankings"][data-state="ready"] [data-scope]');
        const caption = page.locator('[data-panel="rankings"] [data-scope]');
        const text = await caption.textContent();
        expect(text).toMatch(score === 'final' ? (lang === 'en' ? /final/i : /年度终评/) : lang === 'en' ? /year to date/ : /年初至今/);
        // The period and what the composite covers, to its last character (a line of its own under the title).
        expect(text).toMatch(lang === 'en' ? /Composite covers [\d–]+ of 47 indicators$/ : /综合得分覆盖 [\d–]+\/47 项指标$/);
        const box = await caption.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
        expect(box.client, `${lang} ${score}`).toBeGreaterThan(0);
        expect(box.scroll, `${lang} ${score}`).toBeLessThanOrEqual(box.client);
        expect(await page.evaluate(cutTitles)).toEqual([]);
      }
    }
    await page.close();
  }, 90_000);

  it('a wall URL asks for the wall\'s code, both maps and its first API answers from index.html, each once, and the app takes them; the login page loads none of it', async () => {
    // A browser of its own: nothing cached, nobody signed in.
    const fresh = await launch({ width: 1920, height: 1080 });
    const page = await fresh.context.newPage();
    const requested: string[] = [];
    page.on('request', (r) => {
      const u = new URL(r.url());
      requested.push(u.pathname.startsWith('/api/') ? u.pathname + u.search : u.pathname);
    });
    const wallFiles = (paths: string[]) => paths.filter((p) => /\/assets\/(echarts|WallView)-|\.geo-.*\.json$/.test(p));
    /** the API requests made, sorted; the charts' pictures by path (their query carries the screen's sizes) */
    const apiCalls = (paths: string[]) => paths.filter((p) => p.startsWith('/api/')).map((p) => (p.startsWith('/api/wall/charts?') ? '/api/wall/charts' : p)).sort();
    /** what the preload script asked for that the app has not taken (web/api/early.ts) */
    const untaken = () => page.evaluate(() => {
      const early = (window as unknown as { __wallEarly?: Record<string, unknown> }).__wallEarly;
      return early ? Object.keys(early) : null;
    });
    await page.goto(`${cockpit.url}/login`);
    await page.waitForSelector('input[name=username]');
    expect(wallFiles(requested)).toEqual([]);
    expect(await untaken()).toBeNull();

    requested.length = 0;
    await page.goto(`${cockpit.url}/wall?token=${cockpit.displayToken}&rotate=0`);
    await page.waitForSelector('[data-panel="map"] .echart[data-drawn="true"]');
    await page.waitForSelector('[data-panel="reporting"][data-state="ready"]');
    // ... and ECharts has come and drawn the first page's charts over the server's pictures.
    await page.waitForFunction(() => ['map', 'mediation-trend', 'member-growth'].every((n) => document.querySelector(`[data-panel="${n}"] .echart:not(.page:not(.on) .echart) canvas`)));
    // Each file once: the app took the preload script's responses instead of asking again. (Two
    // ECharts chunks: ECharts and the cockpit's registration of its chart types, charts/echarts.ts.)
    expect(new Set(wallFiles(requested)).size).toBe(wallFiles(requested).length);
    const files = wallFiles(requested).map((p) => p.replace(/-[\w-]{8}\.(js|css|json)$/, '.$1'));
    expect(files.sort()).toEqual(['/assets/WallView.css', '/assets/WallView.js', '/assets/echarts.js', '/assets/echarts.js', '/assets/guangxi-cities.geo.json', '/assets/guangxi-counties.geo.json']);
    // The trend and growth pictures are asked for once, at the charts' boxes, in the page's language.
    expect(apiCalls(requested)).toEqual(['/api/auth/me', '/api/reporting/totals', '/api/wall', '/api/wall/charts', '/api/wall/county-map']);
    expect(requested.filter((p) => p.startsWith('/api/wall/charts?'))).toEqual([expect.stringMatching(/^\/api\/wall\/charts\?lang=zh-CN&scale_pct=100&mediation_trend=\d+x\d+&member_growth=\d+x\d+$/)]);
    expect(await untaken()).toEqual([]);

    // The wall bundle's URL follows ?score=final, as the app's does (else the app would ask again).
    requested.length = 0;
    await page.goto(`${cockpit.url}/wall?token=${cockpit.displayToken}&rotate=0&score=final`);
    await page.waitForSelector('[data-panel="rankings"][data-state="ready"] [data-scope]', { state: 'attached' });
    await page.waitForSelector('[data-panel="reporting"][data-state="ready"]');
    await page.waitForFunction(() => document.querySelector('[data-panel="member-growth"] .echart canvas'));
    expect(apiCalls(requested)).toEqual(['/api/auth/me', '/api/reporting/totals', '/api/wall/charts', '/api/wall/county-map', '/api/wall?score=final']);
    expect(await untaken()).toEqual([]);
    await fresh.close();

    // The preload script computes the charts' boxes from the screen as the wall's grid lays them out
    // (web/build/wall-preload.ts): on a 4K wall and a 5:4 screen too, the app takes its pictures and
    // asks nothing more, and the boxes are the charts' own within the rounding.
    for (const [width, height, scale] of [[3840, 2160, 'fill'], [1280, 1024, 'fit'], [1366, 768, 'fill']] as const) {
      const screen = await launch({ width, height });
      const p = await screen.context.newPage();
      const asked: string[] = [];
      p.on('request', (r) => void (r.url().includes('/api/wall/charts') && asked.push(new URL(r.url()).search)));
      // Who asked: the script whose code called fetch, as the browser records it (not the timing, which
      // a loaded machine reorders).
      const askedBy: string[] = [];
      const cdp = await screen.context.newCDPSession(p);
      cdp.on('Network.requestWillBeSent', (e) => {
        if (e.request.url.includes('/api/wall/charts')) askedBy.push(new URL(e.initiator.stack?.callFrames[0]?.url ?? 'about:none').pathname);
      });
      await cdp.send('Network.enable');
      await p.goto(`${cockpit.url}/wall?token=${cockpit.displayToken}&rotate=0&scale=${scale}`);
      await p.waitForSelector('[data-panel="member-growth"] .echart[data-drawn="true"] .echart-first-paint', { state: 'attached' });
      const boxes = await p.evaluate(() => ['mediation-trend', 'member-growth'].map((n) => document.querySelector<HTMLElement>(`[data-panel="${n}"] .echart`)!).map((e) => [e.clientWidth, e.clientHeight]));
      expect(asked, `${width}x${height}`).toHaveLength(1);
      // Asked by the preload script, not by the app's chunks after the view has run.
      expect(askedBy, `${width}x${height}`).toEqual([expect.stringMatching(/^\/assets\/wall-preload-\w{8}\.js$/)]);
      const q = new URLSearchParams(asked[0]);
      expect(q.get('scale_pct'), `${width}x${height}`).toBe(String(Math.round((Math.min(width / 120, height / 67.5) / 16) * 100)));
      ['mediation_trend', 'member_growth'].forEach((k, i) => {
        const [w, h] = q.get(k)!.split('x').map(Number);
        expect(Math.abs(w - boxes[i][0]) + Math.abs(h - boxes[i][1]), `${width}x${height} ${k} ${q.get(k)} vs ${boxes[i]}`).toBeLessThanOrEqual(2);
      });
      await screen.close();
    }
  }, 120_000);

  it("the county map is painted first from the server's drawing of it, every county in its colour, and ECharts draws over it when the page is idle", async () => {
    const fresh = await launch({ width: 1920, height: 1080 });
    const page = await fresh.context.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (m) => void (m.type() === 'error' && consoleErrors.push(m.text())));
    // The county GeoJSON held back: the screen's own ECharts cannot draw the map before it has come.
    let releaseGeo!: () => void;
    const geoHeld = new Promise<void>((resolve) => (releaseGeo = resolve));
    await page.route(/guangxi-counties\.geo-[\w-]+\.json$/, async (route) => {
      await geoHeld;
      await route.continue();
    });
    await page.goto(`${cockpit.url}/wall?token=${cockpit.displayToken}&rotate=0`);
    const map = page.locator('[data-panel="map"] .page.on .echart');
    await page.waitForSelector('[data-panel="map"][data-state="ready"] .page.on .echart[data-drawn="true"] .echart-first-paint svg');
    const picture = await map.evaluate((el) => ({
      areas: el.querySelectorAll('.echart-first-paint path').length,
      fills: new Set([...el.querySelectorAll('.echart-first-paint path')].map((p) => p.getAttribute('fill'))).size,
      canvases: el.querySelectorAll('canvas').length,
      // the picture fills the chart's box (it is centred and scaled there as ECharts lays the map out)
      box: (() => {
        const a = el.getBoundingClientRect();
        const b = el.querySelector('.echart-first-paint svg')!.getBoundingClientRect();
        return [b.width - a.width, b.height - a.height].map(Math.round);
      })(),
    }));
    expect(picture.areas).toBe(111);
    expect(picture.fills).toBeGreaterThan(20);
    expect(picture.canvases).toBe(0);
    expect(picture.box).toEqual([0, 0]);
    releaseGeo();
    // ECharts draws the map itself once the browser is idle, and the picture goes.
    await page.waitForFunction(() => {
      const el = document.querySelector('[data-panel="map"] .page.on .echart');
      return !!el && !el.querySelector('.echart-first-paint') && el.querySelectorAll('canvas').length > 0;
    });
    expect(await map.getAttribute('data-drawn')).toBe('true');
    expect(consoleErrors).toEqual([]);
    await fresh.close();
  }, 60_000);

  for (const [width, height, lang] of [
    [1920, 1080, 'zh-CN'],
    [3840, 2160, 'en'],
  ] as const) {
    it(`at ${width}x${height} (${lang}) the first page's charts are painted from the server's drawings before any chart code has come, at their boxes and in the page's language; ECharts then draws over them`, async () => {
      const fresh = await launch({ width, height });
      const page = await fresh.context.newPage();
      const consoleErrors: string[] = [];
      page.on('console', (m) => void (m.type() === 'error' && consoleErrors.push(m.text())));
      page.on('pageerror', (e) => void consoleErrors.push(e.message));
      // ECharts held back: whatever is drawn meanwhile is drawn without it.
      let releaseECharts!: () => void;
      const held = new Promise<void>((resolve) => (releaseECharts = resolve));
      await page.route(/\/assets\/echarts-[\w-]+\.js$/, async (route) => {
        await held;
        await route.continue();
      });
      await page.goto(`${cockpit.url}/wall?token=${cockpit.displayToken}&rotate=0&lang=${lang}`);
      const CHARTS = ['[data-panel="map"] .page.on .echart', '[data-panel="mediation-trend"] .echart', '[data-panel="member-growth"] .echart'];
      await page.waitForFunction((sel) => sel.every((s) => document.querySelector(`${s}[data-drawn="true"] .echart-first-paint svg`)), CHARTS, { timeout: 30_000 });
      const pictures = await page.evaluate((sel) =>
        sel.map((s) => {
          const el = document.querySelector(s)!;
          const a = el.getBoundingClientRect();
          const b = el.querySelector('.echart-first-paint svg')!.getBoundingClientRect();
          return {
            canvases: el.querySelectorAll('canvas').length,
            box: [b.width - a.width, b.height - a.height].map(Math.round),
            text: [...el.querySelectorAll('.echart-first-paint text')].map((t) => t.textContent).join(' '),
            font: [...el.querySelectorAll('.echart-first-paint text')].map((t) => getComputedStyle(t).fontFamily)[0] ?? null,
          };
        }),
        CHARTS,
      );
      for (const p of pictures) {
        expect(p.canvases).toBe(0);
        expect(p.box).toEqual([0, 0]);
      }
      const [, trend, growth] = pictures;
      // In the page's language, set in the theme's fonts.
      if (lang === 'en') {
        expect(trend.text).toMatch(/\bJan\b.*\bDec\b/);
        expect(growth.text).toMatch(/Members.*Growth/);
        expect(trend.text + growth.text).not.toMatch(/[\u4e00-\u9fff]/);
      } else {
        expect(trend.text).toMatch(/1月.*12月/);
        expect(growth.text).toMatch(/会员数.*增长/);
      }
      expect(trend.font).toMatch(/^"?Noto Sans CJK SC"?,/);
      // Each bar's label is the year's members from GET /api/wall, written by the one formatter.
      const members = await page.evaluate(async (token) => {
        const r = await fetch('/api/wall', { headers: { authorization: `Bearer ${token}`, 'x-requested-with': 'union-cockpit' } });
        return ((await r.json()) as { members: { years: { year: number; members: number }[] } }).members.years.filter((y) => y.year >= 2020 && y.members > 0).map((y) => y.members);
      }, cockpit.displayToken);
      expect(members.length).toBeGreaterThan(3);
      for (const m of members) expect(growth.text).toContain(formatQuantity(m, 'count', lang));
      releaseECharts();
      // ECharts draws each chart itself once the browser is idle, and the pictures go.
      await page.waitForFunction((sel) => sel.every((s) => { const el = document.querySelector(s); return !!el && !el.querySelector('.echart-first-paint') && el.querySelector('canvas'); }), CHARTS, { timeout: 30_000 });
      expect(consoleErrors).toEqual([]);
      await fresh.close();
    }, 90_000);
  }

  it('the wall opened from the printed URL (/?token=) rotates its paired panels', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.goto(`${cockpit.url}/?token=${cockpit.displayToken}&rotate=1`);
    await page.waitForURL((u) => u.pathname === '/wall' && u.searchParams.get('rotate') === '1');
    const on = (panel: string) => page.locator(`[data-panel="${panel}"] .page.on`).getAttribute('data-page');
    await page.waitForSelector('[data-panel="rankings"] .page.on');
    const first = await on('rankings');
    await expect.poll(() => on('rankings'), { timeout: 5000 }).not.toBe(first);
    // Both pages are drawn (stacked, cross-faded), so a turn never shows an empty panel.
    await page.waitForSelector('[data-panel="rankings"] [data-page="cities"] .echart[data-drawn="true"]');
    await page.waitForSelector('[data-panel="map"] .page:nth-child(2) .echart[data-drawn="true"]');
    await page.close();
  }, 60_000);

  it('the wall turns stale when the API stops, keeps its data, and recovers by itself', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1920, height: 1080 });
    const apiStatuses: number[] = [];
    page.on('response', (r) => {
      if (new URL(r.url()).pathname.startsWith('/api/')) apiStatuses.push(r.status());
    });
    await page.goto(`${cockpit.url}/wall?token=${cockpit.displayToken}&refresh=1&rotate=0`);
    const badge = page.locator('[data-testid=stale-badge]');
    await page.waitForSelector('[data-panel="mediation-trend"][data-state="ready"] .echart[data-drawn="true"]');
    await expect.poll(() => badge.getAttribute('data-stale')).toBe('false');
    const before = await page.locator('[data-kpi="mediation_rate"] .num').textContent();
    // Refreshing an unchanged snapshot costs 304s (conditional requests with the ETag).
    await expect.poll(() => apiStatuses.filter((s) => s === 304).length, { timeout: 10_000 }).toBeGreaterThan(3);

    await cockpit.stop();
    try {
      await expect.poll(() => badge.getAttribute('data-stale'), { timeout: 15_000 }).toBe('true');
      expect(await badge.textContent()).toMatch(/数据未更新/);
      // The last good data stays on screen.
      expect(await page.locator('[data-kpi="mediation_rate"] .num').textContent()).toBe(before);
      expect(await page.locator('[data-panel="mediation-trend"]').getAttribute('data-state')).toBe('ready');
      await page.screenshot({ path: path.join(artifacts, 'wall-stale.png') });
    } finally {
      // Whatever happened above, the other tests need the server back.
      await cockpit.restart();
    }
    await expect.poll(() => badge.getAttribute('data-stale'), { timeout: 15_000 }).toBe('false');
    expect(await badge.textContent()).toMatch(/数据截至/);
    await page.close();
  }, 90_000);

  it('a county user lands on its county and is refused another county, in the page and the API', async () => {
    const page = await browser.context.newPage();
    await signIn(page, cockpit.url, 'county-450102', 'county-demo');
    expect(new URL(page.url()).pathname).toBe('/county');
    expect(new URL(page.url()).searchParams.get('county')).toBe('450102');
    // Its navigation offers its county view and the reporting page.
    expect(await page.locator('[data-nav]').evaluateAll((els) => els.map((e) => e.getAttribute('data-nav')))).toEqual(['county', 'submit']);
    // Its own reports of the month due now: one row per stream, each with its status.
    await page.waitForSelector('[data-testid=county-reporting]');
    expect(await page.locator('[data-testid=county-reporting] tbody tr').count()).toBe(7);
    expect(await page.locator('[data-testid=county-reporting] tr[data-stream=mediation] td').nth(3).textContent()).toMatch(/未报|已报待审|已退回|已通过|已发布/);

    await page.goto(`${cockpit.url}/county?county=450103`);
    await page.waitForSelector('[data-testid=county-refused]');
    const api = await page.evaluate(async () => {
      const get = (u: string) => fetch(u).then((r) => r.status);
      return {
        own: await get('/api/mediation/success-rate?unit=450102'),
        other: await get('/api/mediation/success-rate?unit=450103'),
        otherMembers: await get('/api/insurance/members?unit=450103'),
        otherScorecard: await get('/api/units/450103/scorecard'),
        otherExport: await get('/api/exports/scorecard.csv?unit=450103'),
      };
    });
    expect(api.own).toBe(200);
    expect(api.other).toBe(403);
    expect(api.otherMembers).toBe(403);
    expect(api.otherScorecard).toBe(403);
    expect(api.otherExport).toBe(403);

    // The wall and the analyst workbench send a county user back to its county.
    await page.goto(`${cockpit.url}/analyst`);
    await page.waitForURL((u) => u.pathname === '/county');
    await page.close();
  }, 60_000);

  it('a county user on a phone reads its 47-indicator scorecard down the page, each value after its name, nothing to scroll sideways', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 375, height: 740 });
    await signIn(page, cockpit.url, 'county-450102', 'county-demo');
    await page.waitForSelector('[data-card="scorecard"] tbody tr');
    const layout = await page.evaluate(() => {
      const box = document.querySelector<HTMLElement>('[data-card="scorecard"] .table-scroll')!;
      const first = box.querySelector('tbody tr')!;
      const card = box.getBoundingClientRect();
      return {
        page: [document.documentElement.scrollWidth, innerWidth],
        table: [box.scrollWidth, box.clientWidth],
        // the scorecard reads in the page's scroll, not a box of its own
        ownScroll: box.scrollHeight > box.clientHeight + 1,
        rows: box.querySelectorAll('tbody tr').length,
        outside: [...first.children].filter((td) => td.getBoundingClientRect().right > card.right + 1).length,
        labels: [...first.querySelectorAll('td')].map((td) => getComputedStyle(td, '::before').content),
      };
    });
    expect(layout.page[0]).toBeLessThanOrEqual(layout.page[1]);
    expect(layout.table[0]).toBeLessThanOrEqual(layout.table[1]);
    expect(layout.ownScroll).toBe(false);
    expect(layout.rows).toBe(47);
    expect(layout.outside).toBe(0);
    // the code and name head the block; every other value follows its column's name
    expect(layout.labels).toEqual(['none', 'none', '"数值"', '"目标"', '"完成度"', '"得分"', '"失分"', '"状态"', '"年末预计"']);
    await page.screenshot({ path: path.join(artifacts, 'county-phone.png') });
    // The composite's scope is two buttons, one tap away: last year's final result, and back.
    const scopeLabel = page.locator('[data-scope]');
    expect(await scopeLabel.textContent()).toMatch(/年初至今/);
    expect(await page.locator('[data-scope-pick=ytd]').getAttribute('aria-pressed')).toBe('true');
    await page.click('[data-scope-pick=final]');
    await expect.poll(() => new URL(page.url()).searchParams.get('score')).toBe('final');
    await expect.poll(() => scopeLabel.textContent()).toMatch(/年度终评/);
    expect(await page.locator('[data-scope-pick=final]').getAttribute('aria-pressed')).toBe('true');
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);
    await page.click('[data-scope-pick=ytd]');
    await expect.poll(() => scopeLabel.textContent()).toMatch(/年初至今/);
    expect(new URL(page.url()).searchParams.get('score')).toBeNull();
    await page.close();
  }, 60_000);

  it("an analyst's XLSX export downloads and holds the table's rows", async () => {
    const page = await browser.context.newPage();
    await signIn(page, cockpit.url, 'analyst', 'analyst-demo');
    await page.goto(`${cockpit.url}/analyst`);
    await page.waitForSelector('[data-card="mediation-by-unit"][data-state="ready"]');
    const href = await page.locator('[data-export="mediation.xlsx"]').getAttribute('href');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-export="mediation.xlsx"]')]);
    const file = path.join(artifacts, 'analyst-mediation.xlsx');
    await download.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await readFile(file)) as never);
    const sheet = wb.worksheets[0];
    const cells = (sheet.getSheetValues() as unknown[][]).filter(Boolean).map((r) => r.filter((v) => v !== undefined && v !== null).map(String));
    // The same rows the API gives as JSON for the same filters.
    const json = await page.evaluate(async (u) => (await fetch(u!.replace(/^\/api\/exports\/mediation\.xlsx/, '/api/mediation/success-rate'))).json(), href);
    const series = (json as { series: { name: string; success: number; failed: number }[] }).series;
    for (const p of series) {
      const line = cells.find((r) => r.includes(p.name));
      expect(line, `a row for ${p.name}`).toBeTruthy();
      expect(line).toContain(String(p.success));
      expect(line).toContain(String(p.failed));
    }
    await page.close();
  }, 60_000);

  it("a leader's county page: ranks, dimensions, the scorecard by points lost, explanation, path up, data quality", async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page, cockpit.url, 'leader', 'leader-demo');
    await page.goto(`${cockpit.url}/county?county=450102`);
    await page.waitForSelector('[data-card="scorecard"] tbody tr');
    const rows = await page.locator('[data-card="scorecard"] tbody tr').evaluateAll((trs) =>
      trs.map((tr) => {
        const text = tr.children[6].textContent ?? '';
        return { code: tr.getAttribute('data-key'), lost: /\d/.test(text) ? Number(text) : null };
      }),
    );
    expect(rows).toHaveLength(47);
    // Worst first: points lost never increase down the table; indicators not scored come last.
    const scored = rows.filter((r) => r.lost !== null).map((r) => r.lost!);
    expect(rows.slice(0, scored.length).every((r) => r.lost !== null)).toBe(true);
    for (let i = 1; i < scored.length; i++) expect(scored[i]).toBeLessThanOrEqual(scored[i - 1]);
    expect(await page.locator('[data-card="explanation"] li').count()).toBeGreaterThan(0);
    // The target column states what this county must reach, as the explanation does ("目标≥ 5.00%"),
    // not the catalog's rule it was resolved from (">= prev +5%").
    const targetOf = new Map(
      await page.locator('[data-card="scorecard"] tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.children[1].textContent ?? '', tr.children[3].textContent ?? ''] as const)),
    );
    expect([...targetOf.values()].filter((t) => />=|<=|prev/.test(t))).toEqual([]);
    const stated = (await page.locator('[data-card="explanation"] li').allTextContents()).filter((li) => li.includes('目标'));
    expect(stated.length).toBeGreaterThan(0);
    for (const li of stated) expect(li).toContain(`目标${targetOf.get(li.split('：')[0])}`);
    expect(await page.locator('[data-card="path-up"] li').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-card="data-quality"]').textContent()).toBeTruthy();
    await page.waitForSelector('[data-card="dimensions"] .echart[data-drawn="true"]');
    // Every chart has its table: the dimension chart switches to a table with five rows.
    await page.click('[data-card="dimensions"] [data-action="table"]');
    expect(await page.locator('[data-card="dimensions"] tbody tr').count()).toBe(5);
    await page.click('[data-card="dimensions"] .seg button:first-child');
    await page.waitForTimeout(800);
    // Any chart downloads as a PNG.
    const [png] = await Promise.all([page.waitForEvent('download'), page.click('[data-card="dimensions"] [data-action="png"]')]);
    expect(png.suggestedFilename()).toBe('dimensions.png');
    const bytes = await readFile((await png.path())!);
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    await page.screenshot({ path: path.join(artifacts, 'county-450102.png'), fullPage: true });
    await page.close();
  }, 60_000);

  it("the analyst's filters live in the URL and a click drills down", async () => {
    const page = await browser.context.newPage();
    await signIn(page, cockpit.url, 'analyst', 'analyst-demo');
    await page.goto(`${cockpit.url}/analyst?city=450100&set=county47`);
    await page.waitForSelector('[data-card="ranking"][data-state="ready"]');
    expect(await page.locator('select[name=city]').inputValue()).toBe('450100');
    await page.waitForSelector('[data-card="map"] .echart[data-drawn="true"]');
    await page.waitForTimeout(800);
    await page.screenshot({ path: path.join(artifacts, 'analyst-450100.png'), fullPage: true });
    // The ranking shows Nanning's counties; clicking a row of its table selects that county.
    await page.click('[data-card="ranking"] [data-action="table"]');
    const first = page.locator('[data-card="ranking"] tbody tr').first();
    const code = await first.getAttribute('data-key');
    expect(code).toMatch(/^4501\d\d$/);
    await first.click();
    await page.waitForURL((u) => u.searchParams.get('county') === code);
    expect(await page.locator('.crumbs').textContent()).toContain('南宁市');
    // The URL alone reproduces the view.
    const shared = page.url();
    const other = await browser.context.newPage();
    await other.goto(shared);
    await other.waitForSelector('select[name=county]');
    await expect.poll(() => other.locator('select[name=county]').inputValue()).toBe(code);
    await other.close();
    // Up one level by the breadcrumb.
    await page.click('.crumbs button >> nth=1');
    await page.waitForURL((u) => !u.searchParams.has('county') && u.searchParams.get('city') === '450100');
    await page.close();
  }, 60_000);

  it('the language switch changes the labels', async () => {
    const page = await browser.context.newPage();
    await signIn(page, cockpit.url, 'analyst', 'analyst-demo');
    await page.goto(`${cockpit.url}/analyst`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('分析工作台');
    expect(await page.locator('[data-nav="county"]').textContent()).toBe('县区视图');
    await page.click('[data-testid=lang-switch]');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Analyst workbench');
    expect(await page.locator('[data-nav="county"]').textContent()).toBe('County');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    // Units appear under their official English names from the reference data.
    await expect.poll(() => page.locator('select[name=city] option[value="450100"]').textContent()).toBe('Nanning');
    await page.waitForSelector('[data-card="ranking"][data-state="ready"]');
    await page.click('[data-card="ranking"] [data-action="table"]');
    const names = await page.locator('[data-card="ranking"] tbody tr td:nth-child(2)').allTextContents();
    expect(names).toHaveLength(111);
    expect(names).toContain('Xingning District');
    expect(names.filter((n) => /[\u4e00-\u9fff]/.test(n))).toEqual([]);
    await page.click('[data-card="ranking"] .seg button >> nth=0');
    await page.screenshot({ path: path.join(artifacts, 'analyst-en.png'), fullPage: true });
    // The choice is kept: a reload stays in English.
    await page.reload();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Analyst workbench');
    await page.click('[data-testid=lang-switch]');
    await page.close();
  }, 60_000);
});
