// The county reporting loop in a real browser (Debian Chromium via playwright-core) against the real
// server on 127.0.0.1, its real ETL worker and publisher, over its own copy of the e2e warehouse:
// a county officer takes the template, uploads a messy file and reads every reject, uploads the fixed
// file and submits it; the reviewer returns it with a reason; the county reads the reason and sends
// it again; the reviewer approves; the county's figures change on its county page and on the wall.
// And /submit on a phone does not scroll sideways.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../core/paths.ts';
import { browserAvailable, launch, type Browser } from './browser.ts';
import { signIn, startCockpit, type Cockpit } from './harness.ts';

const artifacts = path.join(repoRoot, 'tests', 'artifacts');
const run = browserAvailable();

let cockpit: Cockpit;
let browser: Browser;

const COUNTY = '450102';
/** October 2026: its deadline (10 November) has passed, so the first submission is late. */
const PERIOD = '2026-10';
const HEAD = 'case_id,county_code,received_date,closed_date,dispute_type,channel,outcome,workers,amount_yuan\n';
const row = (id: string, county: string, outcome: string) => `${id},${county},2026-10-08,2026-10-20,wages,union,${outcome},1,`;
/** A neighbour's row (line 3) and a misspelt outcome (line 4) among two good rows. */
const MESSY = HEAD + [row('GXE2E001', COUNTY, 'success'), row('GXE2E002', '450103', 'success'), row('GXE2E003', COUNTY, 'succes'), row('GXE2E004', COUNTY, 'success')].join('\n') + '\n';
const FIXED = HEAD + ['GXE2E001', 'GXE2E003', 'GXE2E004', 'GXE2E005', 'GXE2E006'].map((id) => row(id, COUNTY, 'success')).join('\n') + '\n';
const REASON = 'GXE2E003 的调解结果请核对后再报';


/** Drop a file on the drop zone as a file manager would. */
async function dropFile(page: Page, name: string, text: string): Promise<void> {
  await page.evaluate(
    ([n, t]) => {
      const dt = new DataTransfer();
      dt.items.add(new File([t], n, { type: 'text/csv' }));
      document.querySelector('[data-testid=drop-zone]')!.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    [name, text] as const,
  );
}

async function chooseFile(page: Page, name: string, text: string): Promise<void> {
  await page.setInputFiles('input[type=file][name=file]', { name, mimeType: 'text/csv', buffer: Buffer.from(text) });
}

async function uploadAndWait(page: Page): Promise<{ read: string; accepted: string; rejected: string }> {
  await page.click('[data-action=upload]');
  const counts = page.locator('[data-testid=counts]');
  await counts.waitFor({ timeout: 60_000 });
  return {
    read: (await counts.getAttribute('data-read'))!,
    accepted: (await counts.getAttribute('data-accepted'))!,
    rejected: (await counts.getAttribute('data-rejected'))!,
  };
}

const cellOf = (page: Page) => page.locator(`tr[data-county="${COUNTY}"] td[data-stream="mediation"] button.cell`);

/** The county's own figures: the success count (C41) on its scorecard, and the wall's headline strip. */
async function countyFigure(page: Page): Promise<string> {
  await page.goto(`${cockpit.url}/county?county=${COUNTY}`);
  const c41 = page.locator('[data-card="scorecard"] tr[data-key="C41"]');
  await c41.waitFor({ timeout: 30_000 });
  return (await c41.textContent())!;
}
async function wallFigures(page: Page): Promise<string> {
  await page.waitForSelector('[data-panel="kpis"][data-state="ready"]', { timeout: 30_000 });
  return (await page.locator('[data-panel="kpis"]').textContent())!;
}

describe.skipIf(!run)('county reporting in Chromium', () => {
  beforeAll(async () => {
    await mkdir(artifacts, { recursive: true });
    cockpit = await startCockpit({ ownWarehouse: true });
    browser = await launch();
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await cockpit?.close();
  });

  it('upload, rejects, submit, return with a reason, resubmit, approve: the figures change on the county page and the wall', async () => {
    const page = await browser.context.newPage();
    const wall = await browser.context.newPage();
    await wall.setViewportSize({ width: 1920, height: 1080 });
    await wall.goto(`${cockpit.url}/wall?token=${cockpit.displayToken}&rotate=0&refresh=2`);
    const wallBefore = await wallFigures(wall);

    // ---- the county: template, messy file, rejects ----
    await signIn(page, cockpit.url, `county-${COUNTY}`, 'county-demo');
    const countyBefore = await countyFigure(page);
    await page.click('[data-nav=submit]');
    await page.waitForURL((u) => u.pathname === '/submit');
    // The template link per stream. (GET /api/templates/<stream>.xlsx is being added on another branch:
    // where this server has it, the download is an XLSX.)
    const template = page.locator('[data-template=mediation]');
    expect(await template.getAttribute('href')).toBe('/api/templates/mediation.xlsx');
    expect(await page.locator('[data-template]').count()).toBe(7);
    const templateAnswer = await page.request.get(`${cockpit.url}/api/templates/mediation.xlsx`);
    if (templateAnswer.status() === 200) expect((await templateAnswer.body()).subarray(0, 2).toString()).toBe('PK');

    await dropFile(page, '兴宁区10月调解台账.csv', MESSY);
    expect(await page.locator('[data-testid=chosen]').textContent()).toContain('兴宁区10月调解台账.csv');
    expect(await uploadAndWait(page)).toEqual({ read: '4', accepted: '2', rejected: '2' });
    const rejects = page.locator('[data-testid=rejects] tbody tr');
    expect(await rejects.count()).toBe(2);
    // Lines as Excel shows them (the header is line 1), the column, the value and the reason in Chinese.
    const rejectRows = async () => rejects.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim())));
    expect(await rejectRows()).toEqual([
      ['3', 'county_code', '450103', '单位代码 450103 不是本单位 450102'],
      ['4', 'outcome', 'succes', expect.stringContaining('不是有效选项')],
    ]);
    await page.screenshot({ path: path.join(artifacts, 'submit-rejects.png'), fullPage: true });
    // The same reasons in English on the switch.
    await page.click('[data-testid=lang-switch]');
    // (the English messages are fetched when English is first chosen)
    await expect.poll(async () => (await rejectRows())[0][3]).toBe('450103 is not your county (450102)');
    await page.click('[data-testid=lang-switch]');
    await expect.poll(async () => (await rejectRows())[0][3]).toBe('单位代码 450103 不是本单位 450102');
    // The rejected rows as a file to fix.
    const csvHref = (await page.locator('[data-testid=rejects-csv]').getAttribute('href'))!;
    const csv = await page.request.get(`${cockpit.url}${csvHref}`);
    expect(csv.status()).toBe(200);
    expect(await csv.text()).toContain('GXE2E003,450102,2026-10-08,2026-10-20,wages,union,succes');

    // ---- the fixed file, submitted ----
    await chooseFile(page, '兴宁区10月调解台账-改.csv', FIXED);
    expect(await uploadAndWait(page)).toEqual({ read: '5', accepted: '5', rejected: '0' });
    await page.click('[data-action=submit]');
    await page.waitForSelector('[data-testid=submit-notice]');
    const sent = page.locator('[data-card=mine] li[data-status=submitted]');
    await sent.waitFor();
    const firstId = Number(await sent.getAttribute('data-submission'));
    // October's deadline was 10 November: the county's list says it was late.
    await sent.locator('[data-testid=late]').waitFor();

    // ---- the reviewer returns it with a reason ----
    await signIn(page, cockpit.url, 'reviewer', 'reviewer-demo');
    expect(new URL(page.url()).pathname).toBe('/review');
    expect(await page.locator('[data-nav]').evaluateAll((els) => els.map((e) => e.getAttribute('data-nav')))).toEqual(['review']);
    await page.waitForSelector('[data-testid=matrix]');
    await page.selectOption('select[name=period]', PERIOD);
    await page.waitForSelector(`[data-testid=matrix][data-period="${PERIOD}"]`);
    expect(await page.locator('[data-testid=matrix] tbody tr[data-county]').count()).toBe(111);
    expect(await page.locator('[data-testid=totals]').textContent()).toMatch(/已报 \d+\/111，逾期 \d+/);
    expect(await page.locator('[data-testid=overdue-xlsx]').getAttribute('href')).toBe(`/api/reporting/overdue.xlsx?period=${PERIOD}`);
    const cell = cellOf(page);
    expect(await cell.getAttribute('data-state')).toBe('submitted');
    expect(await cell.textContent()).toContain('待审核');
    // First sent on 6 December for a 10 November deadline.
    expect(await cell.getAttribute('data-late')).toBe('true');
    // The status filter keeps the counties with a cell in that state: here, ours alone.
    await page.selectOption('select[name=status]', 'submitted');
    await expect.poll(() => page.locator('[data-testid=matrix] tbody tr[data-county]').count()).toBe(1);
    await page.selectOption('select[name=status]', '');
    await expect.poll(() => page.locator('[data-testid=matrix] tbody tr[data-county]').count()).toBe(111);
    await cell.click();
    const detail = page.locator(`[data-card=submission][data-submission="${firstId}"]`);
    await detail.locator('[data-testid=detail-counts]').waitFor();
    expect(await detail.locator('[data-testid=detail-counts]').textContent()).toContain('合格 5 行');
    await page.screenshot({ path: path.join(artifacts, 'review-detail.png') });
    // A return needs a reason.
    await page.click('[data-action=return]');
    await page.waitForSelector('[data-testid=reason-required]');
    expect(await detail.getAttribute('data-status')).toBe('submitted');
    await page.fill('textarea[name=reason]', REASON);
    await page.click('[data-action=return]');
    await page.waitForSelector('[data-testid=review-done]');
    await expect.poll(() => cell.getAttribute('data-state')).toBe('returned');

    // ---- the county reads the reason and sends the file again ----
    await signIn(page, cockpit.url, `county-${COUNTY}`, 'county-demo');
    await page.goto(`${cockpit.url}/submit`);
    const returned = page.locator(`[data-card=mine] li[data-submission="${firstId}"]`);
    await returned.locator('[data-testid=return-reason]').waitFor();
    expect(await returned.locator('[data-testid=return-reason]').textContent()).toContain(REASON);
    await page.screenshot({ path: path.join(artifacts, 'submit-returned.png'), fullPage: true });
    await chooseFile(page, '兴宁区10月调解台账-再改.csv', FIXED);
    expect(await uploadAndWait(page)).toEqual({ read: '5', accepted: '5', rejected: '0' });
    await page.click('[data-action=submit]');
    await page.waitForSelector('[data-testid=submit-notice]');

    // ---- the reviewer approves ----
    await signIn(page, cockpit.url, 'reviewer', 'reviewer-demo');
    await page.goto(`${cockpit.url}/review?period=${PERIOD}`);
    await page.waitForSelector('[data-testid=matrix]');
    await expect.poll(() => cellOf(page).getAttribute('data-state')).toBe('submitted');
    // Lateness counts from the first submission, not the resubmission.
    expect(await cellOf(page).getAttribute('data-late')).toBe('true');
    await cellOf(page).click();
    await page.locator('[data-card=submission] [data-action=approve]').click();
    await page.waitForSelector('[data-testid=review-done]');
    await page.screenshot({ path: path.join(artifacts, 'review-matrix.png') });

    // ---- the new figures reach the county page and the wall ----
    // The 60 s at scale 1 is a speed target, measured by the benchmark; on a shared machine a
    // publish (a new snapshot with its marts) alone has taken about a minute, so the test allows three.
    const approvedAt = Date.now();
    await signIn(page, cockpit.url, `county-${COUNTY}`, 'county-demo');
    await expect.poll(() => countyFigure(page), { timeout: 180_000, interval: 2000 }).not.toBe(countyBefore);
    console.log(`approval to the county page: ${((Date.now() - approvedAt) / 1000).toFixed(1)} s`);
    await expect.poll(() => wallFigures(wall), { timeout: 30_000, interval: 1000 }).not.toBe(wallBefore);
    // 450102 had no case in 2026: its five successes are the year's.
    expect(await countyFigure(page)).toContain('劳动争议调解成功件数5');
    await page.goto(`${cockpit.url}/submit`);
    await page.locator('[data-card=mine] li[data-status=published]').waitFor({ timeout: 30_000 });
    await page.close();
    await wall.close();
  }, 600_000);

  it('/submit on a phone: nothing scrolls sideways, with the rejects table open', async () => {
    const phone = await launch({ width: 375, height: 740, deviceScaleFactor: 2 });
    try {
      const page = await phone.context.newPage();
      await signIn(page, cockpit.url, `county-${COUNTY}`, 'county-demo');
      await page.goto(`${cockpit.url}/submit`);
      await page.waitForSelector('[data-template=mediation]');
      await chooseFile(page, 'phone.csv', MESSY);
      await uploadAndWait(page);
      await page.waitForSelector('[data-testid=rejects]');
      const width = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
      await page.screenshot({ path: path.join(artifacts, 'submit-phone.png'), fullPage: true });
      expect(width.scroll).toBeLessThanOrEqual(width.inner);
    } finally {
      await phone.close();
    }
  }, 120_000);
});
