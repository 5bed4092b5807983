// The server process crashes (SIGKILL: no graceful close, requests cut mid-flight) and is started
// again while a wall screen is open: the wall keeps its last data under the stale badge and recovers
// by itself, without reloading the page, with the same display token.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startServer, type ServerProcess } from '../helpers/server-process.ts';
import { browserAvailable, launch, type Browser } from './browser.ts';
import { prepareCockpit, webDist } from './harness.ts';

const run = browserAvailable();

describe.skipIf(!run)('wall across a server crash and restart', () => {
  let dir: string;
  let browser: Browser;
  let server: ServerProcess | null = null;
  let env: { WAREHOUSE: string; APP_DB: string; PORT: number; WEB_DIST: string };

  beforeAll(async () => {
    const { warehouse } = await prepareCockpit();
    dir = await mkdtemp(path.join(tmpdir(), 'uc-e2e-restart-'));
    env = { WAREHOUSE: warehouse, APP_DB: path.join(dir, 'app.sqlite'), PORT: await freePort(), WEB_DIST: webDist };
    server = await startServer(env);
    browser = await launch({ width: 1920, height: 1080 });
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('keeps its data while the server is down and recovers in place when a new process is up', async () => {
    const token = server!.displayToken;
    expect(token).toMatch(/^dt_/);
    const page = await browser.context.newPage();
    await page.goto(`${server!.url}/wall?token=${token}&refresh=1&rotate=0`);
    const badge = page.locator('[data-testid=stale-badge]');
    const kpi = page.locator('[data-kpi="mediation_rate"] .num');
    await page.waitForSelector('[data-panel="mediation-trend"][data-state="ready"] .echart[data-drawn="true"]');
    await expect.poll(() => badge.getAttribute('data-stale')).toBe('false');
    const before = await kpi.textContent();
    // A page reload would drop this.
    await page.evaluate(() => ((window as unknown as { beforeCrash: boolean }).beforeCrash = true));

    server!.child.kill('SIGKILL');
    await new Promise((r) => server!.child.once('exit', r));
    await expect.poll(() => badge.getAttribute('data-stale'), { timeout: 15_000 }).toBe('true');
    expect(await kpi.textContent()).toBe(before);
    expect(await page.locator('[data-panel="mediation-trend"]').getAttribute('data-state')).toBe('ready');

    server = await startServer(env);
    await expect.poll(() => badge.getAttribute('data-stale'), { timeout: 15_000 }).toBe('false');
    expect(await kpi.textContent()).toBe(before);
    expect(await page.evaluate(() => (window as unknown as { beforeCrash?: boolean }).beforeCrash)).toBe(true);
    await page.close();
  }, 120_000);
});
