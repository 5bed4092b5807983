// 订阅与推送 in a real browser (Debian Chromium via playwright-core) against the real server on
// 127.0.0.1: an analyst opens the page from the workbench, makes an email subscription and sends it
// now (the mail arrives at an SMTP server started here, the XLSX attached), makes one for each robot
// kind and the webhook on a two-second schedule (each arrives at an HTTP receiver on 127.0.0.1 by
// itself), sees the outcome on the page, and deletes them. The form shows the server's 400 on its field.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpReceiver, startSmtp, type HttpReceiver, type MailReceiver } from '../helpers/receivers.ts';
import { browserAvailable, launch, type Browser } from './browser.ts';
import { signIn, startCockpit, type Cockpit } from './harness.ts';

const run = browserAvailable();
let cockpit: Cockpit;
let browser: Browser;
let smtp: MailReceiver;
let robot: HttpReceiver;

async function until<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function fill(page: Page, f: { report: string; set?: string; unit?: string; format?: string; preset: string; cron?: string; channel: string; to?: string; url?: string; secret?: string }) {
  const form = page.locator('[data-testid=subscription-form]');
  await form.locator('select[name=report]').selectOption(f.report);
  if (f.set) await form.locator('select[name=set]').selectOption(f.set);
  if (f.unit) await form.locator('input[name=unit]').fill(f.unit);
  if (f.format) await form.locator('select[name=format]').selectOption(f.format);
  await form.locator('select[name=preset]').selectOption(f.preset);
  if (f.cron) await form.locator('input[name=cron]').fill(f.cron);
  await form.locator('select[name=channel]').selectOption(f.channel);
  if (f.to) await form.locator('input[name=to]').fill(f.to);
  if (f.url) await form.locator('input[name=url]').fill(f.url);
  if (f.secret) await form.locator('input[name=secret]').fill(f.secret);
  await form.locator('button[type=submit]').click();
}

describe.skipIf(!run)('subscriptions in Chromium', () => {
  beforeAll(async () => {
    smtp = await startSmtp();
    robot = await startHttpReceiver();
    cockpit = await startCockpit({
      subscriptions: {
        smtp: { host: '127.0.0.1', port: smtp.port, secure: false, from: 'cockpit@union.test' },
        baseUrl: 'https://cockpit.union.test',
        allowedHosts: [`127.0.0.1:${robot.port}`],
        tickMs: 200,
      },
    });
    browser = await launch();
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await cockpit?.close();
    await smtp?.close();
    await robot?.close();
  });

  it('made on the page, each subscription is delivered on "send now" and on its schedule, to every channel kind', async () => {
    const page = await browser.context.newPage();
    page.on('dialog', (d) => void d.accept());
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, cockpit.url, 'analyst', 'analyst-demo');
    await page.goto(`${cockpit.url}/analyst`);
    await page.click('[data-testid=subscriptions-link]');
    await page.waitForURL((u) => u.pathname === '/analyst/subscriptions');
    expect(await page.locator('h1').textContent()).toBe('订阅与推送');

    // A bad address: the server's 400 names channel.to, and the page says so on the field.
    await fill(page, { report: 'rankings', set: 'county47', preset: 'monthly', channel: 'email', to: 'not-an-address' });
    await page.waitForSelector('[data-testid=error][data-field="channel.to"]');
    expect(await page.locator('label.invalid input[name=to]').count()).toBe(1);

    // Email, sent now: the rankings arrive as an XLSX attachment.
    await page.locator('input[name=to]').fill('leaders@union.test');
    await page.locator('[data-testid=subscription-form] button[type=submit]').click();
    const row = page.locator('[data-testid=subscriptions] tbody tr').first();
    await row.waitFor();
    await row.locator('[data-action=run]').click();
    const mail = await until('the mail', () => smtp.mails[0]);
    expect(mail.to).toEqual(['leaders@union.test']);
    expect(mail.subject).toMatch(/县级工会47项指标排名/);
    expect(mail.attachments[0].filename).toMatch(/^rankings-county47-.*\.xlsx$/);
    expect(mail.attachments[0].content.subarray(0, 2).toString()).toBe('PK');
    await page.reload();
    await page.waitForSelector('[data-testid=subscriptions] tbody tr[data-state=sent]');

    // Each robot kind and the webhook, every two seconds: they arrive by themselves.
    const kinds = [
      { channel: 'dingtalk', path: '/robot/send', secret: 'SEC-e2e' },
      { channel: 'wecom', path: '/cgi-bin/webhook/send' },
      { channel: 'feishu', path: '/open-apis/bot/v2/hook/e2e', secret: 'feishu-e2e' },
      { channel: 'webhook', path: '/hook/e2e' },
    ];
    for (const k of kinds) {
      // XLSX: the webhook carries the file, and a PDF every two seconds would only keep Chromium busy.
      await fill(page, { report: 'scorecard', unit: '450102', format: 'xlsx', preset: 'custom', cron: '*/2 * * * * *', channel: k.channel, url: `${robot.base}${k.path}?access_token=e2e`, secret: k.secret });
      await page.waitForSelector(`[data-testid=notice]`);
    }
    for (const k of kinds) {
      const hit = await until(`${k.channel} on schedule`, () => robot.requests.find((r) => r.url.pathname === k.path && r.status === 200));
      expect(JSON.stringify(hit.body)).toContain('兴宁区');
    }
    expect(await page.locator('[data-testid=subscriptions] tbody tr').count()).toBe(5);

    // Delete them all: nothing more arrives.
    while ((await page.locator('[data-testid=subscriptions] tbody tr').count()) > 0) {
      const before = await page.locator('[data-testid=subscriptions] tbody tr').count();
      await page.locator('[data-testid=subscriptions] tbody tr').first().locator('[data-action=delete]').click();
      await until('the row to go', async () => (await page.locator('[data-testid=subscriptions] tbody tr').count()) < before || undefined);
    }
    const after = robot.requests.length;
    await new Promise((r) => setTimeout(r, 2500));
    expect(robot.requests.length - after).toBeLessThanOrEqual(1); // a run already claimed may still land
    expect(errors).toEqual([]);
  }, 180_000);

  it('reads in English with the switch', async () => {
    const page = await browser.context.newPage();
    await signIn(page, cockpit.url, 'analyst', 'analyst-demo');
    await page.goto(`${cockpit.url}/analyst/subscriptions?lang=en`);
    expect(await page.locator('h1').textContent()).toBe('Subscriptions and pushes');
    expect(await page.locator('select[name=channel] option[value=dingtalk]').textContent()).toBe('DingTalk robot');
  });
});
