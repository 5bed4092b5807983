// The wall soak: one wall page in headless Chromium against the real server, its clock accelerated
// (?speed=), refreshing, rotating its panels and turning a playlist of the province and every city
// for the equivalent of `days` of a hall's wall. JS heap (after a forced GC), DOM nodes and event
// listeners are read through the DevTools protocol once the first playlist cycle has loaded every
// page (the start) and at the end. Used short by tests/e2e/wall-soak.test.ts and for a week by
// `npm run bench -- soak`.
import type { CDPSession, Page } from 'playwright-core';
import type { Browser } from './browser.ts';
import type { Cockpit } from './harness.ts';

/** A hall's settings: data every 30 s (the default), panels turn every 20 s (the default), each of the 15 walls five minutes. */
export const SOAK_WALL = { refresh: 30, rotate: 20, page: 300 } as const;

/** The stated bounds, start to end, on the province page with the clock held: heap +10 %, DOM nodes ±5 %, listeners +3. */
export const SOAK_BOUNDS = { heapGrowth: 0.1, nodeDrift: 0.05, listenerGrowth: 3 } as const;

export interface SoakSample {
  /** simulated seconds since the wall opened */
  atS: number;
  heapBytes: number;
  nodes: number;
  listeners: number;
  documents: number;
}

export interface SoakResult {
  speed: number;
  realMs: number;
  simulatedDays: number;
  refreshes: number;
  turns: number;
  pages: number;
  apiResponses: number;
  apiFailures: number;
  consoleErrors: string[];
  start: SoakSample;
  end: SoakSample;
  samples: SoakSample[];
}

const counters = (page: Page) => page.evaluate(() => ({ ...(window as unknown as { __wall: { refreshes: number; turns: number; pages: number } }).__wall }));

/**
 * A reading on the province's page just after the playlist turned to it, so every reading shows
 * the same page (a city's wall has fewer rows than the province's, and so fewer nodes).
 */
async function sampleOnProvince(page: Page, cdp: CDPSession, simulated: () => number): Promise<SoakSample> {
  const pagesNow = (await counters(page)).pages;
  await page.waitForFunction(
    (after) => {
      const w = (window as unknown as { __wall: { pages: number } }).__wall;
      return w.pages > after && document.querySelector('[data-testid=wall]')?.getAttribute('data-unit') === '450000';
    },
    pagesNow,
    { timeout: 600_000, polling: 20 },
  );
  // Hold the wall's clock while measuring, and let the last turn's rendering and requests settle.
  await page.evaluate(() => ((window as unknown as { __wall: { paused: boolean } }).__wall.paused = true));
  await page.waitForTimeout(SETTLE_MS);
  const atS = simulated();
  const reading = await sample(cdp, atS);
  await page.evaluate(() => ((window as unknown as { __wall: { paused: boolean } }).__wall.paused = false));
  return reading;
}

/** Long enough for a render and a round of 304s on a busy machine. */
const SETTLE_MS = 1500;

async function sample(cdp: CDPSession, atS: number): Promise<SoakSample> {
  // Twice: the first pass can leave objects that only a second one frees (weak maps, finalizers).
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const dom = await cdp.send('Memory.getDOMCounters');
  return { atS, heapBytes: heap.usedSize, nodes: dom.nodes, listeners: dom.jsEventListeners, documents: dom.documents };
}

/**
 * Run the soak for `days` of simulated time at `speed` (the wall's clock runs `speed` times faster:
 * 1000 makes a 30 s refresh every 30 ms). `samples` readings are taken between the start and the end.
 */
export async function soakWall(
  cockpit: Cockpit,
  browser: Browser,
  opts: { days: number; speed: number; warmupHours?: number; samples?: number; width?: number; height?: number },
): Promise<SoakResult> {
  const { days, speed } = opts;
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: opts.width ?? 1920, height: opts.height ?? 1080 });
  let apiResponses = 0;
  let apiFailures = 0;
  const consoleErrors: string[] = [];
  page.on('response', (r) => {
    if (!new URL(r.url()).pathname.startsWith('/api/')) return;
    apiResponses++;
    if (r.status() >= 400) apiFailures++;
  });
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  const q = new URLSearchParams({
    token: cockpit.displayToken,
    refresh: String(SOAK_WALL.refresh),
    rotate: String(SOAK_WALL.rotate),
    page: String(SOAK_WALL.page),
    playlist: 'province,cities',
    reload: 'off',
    speed: String(speed),
  });
  const opened = Date.now();
  await page.goto(`${cockpit.url}/wall?${q}`);
  const cdp = await page.context().newCDPSession(page);
  // The start: after two rounds of the playlist (the province and 14 cities), every page loaded and
  // cached, and the warm-up (the first readings of a fresh page are lower: caches still filling).
  await page.waitForFunction(() => ((window as unknown as { __wall?: { pages: number } }).__wall?.pages ?? 0) >= 31, null, { timeout: 600_000, polling: 200 });
  const simulated = () => ((Date.now() - opened) * speed) / 1000;
  const warmupMs = (((opts.warmupHours ?? 6) * 3600 - simulated()) * 1000) / speed;
  if (warmupMs > 0) await page.waitForTimeout(warmupMs);
  const start = await sampleOnProvince(page, cdp, simulated);
  const first = await counters(page);
  const samples: SoakSample[] = [start];
  const endAtS = days * 86_400;
  const n = Math.max(1, opts.samples ?? 4);
  for (let i = 1; i <= n; i++) {
    const target = start.atS + ((endAtS - start.atS) * i) / n;
    const waitMs = ((target - simulated()) * 1000) / speed;
    if (waitMs > 0) await page.waitForTimeout(waitMs);
    samples.push(await sampleOnProvince(page, cdp, simulated));
  }
  const last = await counters(page);
  const realMs = Date.now() - opened;
  await cdp.detach();
  await page.close();
  return {
    speed,
    realMs,
    simulatedDays: (realMs * speed) / 86_400_000,
    refreshes: last.refreshes,
    turns: last.turns,
    pages: last.pages,
    apiResponses,
    apiFailures,
    consoleErrors,
    start,
    end: samples[samples.length - 1],
    samples,
    ...(first.refreshes > last.refreshes ? { error: 'counters went back: the page reloaded' } : {}),
  };
}

const mb = (b: number) => `${(b / 1048576).toFixed(2)} MB`;

/** The figures as a few lines, for the test's log and the benchmark. */
export function soakReport(r: SoakResult): string {
  const row = (s: SoakSample) => `${(s.atS / 3600).toFixed(1).padStart(7)} h  heap ${mb(s.heapBytes).padStart(9)}  nodes ${String(s.nodes).padStart(6)}  listeners ${String(s.listeners).padStart(5)}  documents ${s.documents}`;
  return [
    `wall soak: ${r.simulatedDays.toFixed(2)} simulated days in ${(r.realMs / 1000).toFixed(0)} s (speed ${r.speed}): ${r.refreshes} refreshes, ${r.turns} panel turns, ${r.pages} playlist pages, ${r.apiResponses} API answers (${r.apiFailures} failed)`,
    ...r.samples.map(row),
    `growth start→end: heap ${mb(r.end.heapBytes - r.start.heapBytes)} (${(((r.end.heapBytes - r.start.heapBytes) / r.start.heapBytes) * 100).toFixed(1)}%), nodes ${r.end.nodes - r.start.nodes}, listeners ${r.end.listeners - r.start.listeners}`,
  ].join('\n');
}
