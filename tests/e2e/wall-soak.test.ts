// The wall soak, short: 18 hours of a hall's wall (refresh every 30 s, panels turning every 20 s,
// the province and the 14 cities five minutes each) in about two minutes of headless Chromium
// against the real server. After a six-hour warm-up the JS heap, the DOM nodes and the event
// listeners must stay flat to the end. The week is `npm run bench -- soak`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launch, type Browser } from './browser.ts';
import { startCockpit, type Cockpit } from './harness.ts';
import { SOAK_BOUNDS, soakReport, soakWall } from './soak.ts';

const run = browserAvailable();
let cockpit: Cockpit;
let browser: Browser;

describe.skipIf(!run)('the wall soak', () => {
  beforeAll(async () => {
    cockpit = await startCockpit();
    browser = await launch();
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await cockpit?.close();
  });

  it('18 hours of refreshes, panel turns and playlist pages leave heap, DOM nodes and listeners flat', async () => {
    const r = await soakWall(cockpit, browser, { days: 0.75, speed: 600, warmupHours: 6, samples: 3 });
    console.log(soakReport(r));
    // it did run: the API answered every refresh, the playlist went round many times, the panels turned
    expect(r.apiFailures).toBe(0);
    expect(r.pages).toBeGreaterThan(3 * 15);
    expect(r.turns).toBeGreaterThan(r.pages);
    expect(r.refreshes).toBeGreaterThan(10);
    expect(r.start.documents).toBe(r.end.documents);
    expect(r.end.heapBytes).toBeLessThanOrEqual(r.start.heapBytes * (1 + SOAK_BOUNDS.heapGrowth));
    expect(Math.abs(r.end.nodes - r.start.nodes)).toBeLessThanOrEqual(r.start.nodes * SOAK_BOUNDS.nodeDrift);
    expect(r.end.listeners - r.start.listeners).toBeLessThanOrEqual(SOAK_BOUNDS.listenerGrowth);
  }, 600_000);
});
