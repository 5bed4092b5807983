// Subscriptions, end to end against real receivers: mail goes to an SMTP server started here, robot
// and webhook messages to an HTTP server on 127.0.0.1, from a real app over a real warehouse. The
// rules: what is sent (text, figures, attachment, signature), retries after a receiver failure, every
// due run sent exactly once by two replicas on one application database, runs due while no server ran
// sent after a restart, alert pushes sent once per period, and input refused with the field named.
import { createHmac } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../server/app.ts';
import { openAppDb } from '../../server/appdb/db.ts';
import { DELETED_BEFORE_SENT, requestRun } from '../../server/appdb/subscriptions.ts';
import { startHttpReceiver, startSmtp, type ReceivedRequest } from '../helpers/receivers.ts';
import { buildTestApp } from './helpers.ts';

const smtp = await startSmtp();
const robot = await startHttpReceiver();
afterAll(async () => {
  await smtp.close();
  await robot.close();
});

let clockOffset = 0;
const SUBSCRIPTIONS = {
  smtp: { host: '127.0.0.1', port: smtp.port, secure: false, from: 'cockpit@union.test' },
  baseUrl: 'https://cockpit.union.test',
  allowedHosts: [`127.0.0.1:${robot.port}`],
  tickMs: 100,
  retryMs: 150,
  maxRetryMs: 600,
  maxAttempts: 4,
  now: () => Date.now() + clockOffset,
};
const env = await buildTestApp({ subscriptions: SUBSCRIPTIONS });
const analyst = await env.login('analyst');
const headers = { cookie: analyst, 'x-requested-with': 'union-cockpit' };

async function until<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function subscribe(body: Record<string, unknown>, app: App = env.app) {
  const res = await app.inject({ method: 'POST', url: '/api/subscriptions', payload: body, headers });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: number; channel: { url: string | null; secret_set: boolean } };
}

const subscription = async (id: number) =>
  ((await env.app.inject({ url: '/api/subscriptions', headers })).json().subscriptions as { id: number; runs: { id: number; status: string; attempts: number; deliveries: { outcome: string; error: string | null }[] }[] }[]).find((s) => s.id === id);

/** Send now, and the run once it is settled (sent, quiet or failed for good). */
async function sendNow(id: number, timeoutMs = 20_000) {
  const res = await env.app.inject({ method: 'POST', url: `/api/subscriptions/${id}/run`, headers });
  expect(res.statusCode, res.body).toBe(202);
  const runId = res.json().run.id as number;
  return until(`run ${runId}`, async () => (await subscription(id))?.runs.find((r) => r.id === runId && r.status !== 'pending'), timeoutMs);
}

const requestsTo = (path: string) => robot.requests.filter((r) => r.url.pathname === path);
const YEARLY = '0 8 29 2 *'; // 29 February: never due during a test, runs come from "send now"

describe('email', () => {
  it('sends the rankings as an XLSX attachment with the top counties in the text and a link to the cockpit', async () => {
    const sub = await subscribe({ report: 'rankings', params: { set: 'county47' }, schedule: YEARLY, channel: { kind: 'email', to: 'leader@union.test' } });
    const run = await sendNow(sub.id);
    expect(run.status).toBe('sent');
    const mail = smtp.mails.at(-1)!;
    expect(mail.to).toEqual(['leader@union.test']);
    expect(mail.from).toBe('cockpit@union.test');
    expect(mail.subject).toMatch(/^全区县级工会47项指标排名（\d{4}/);
    expect(mail.text).toContain('https://cockpit.union.test/analyst');
    // The figures are the API's: the first county of GET /api/rankings with its composite.
    const ranking = (await env.app.inject({ url: '/api/rankings?set=county47', headers })).json();
    const first = ranking.rows[0];
    expect(mail.text).toContain(`前三名：1. ${first.unit.name} ${first.composite.toFixed(2)}`);
    expect(mail.attachments).toHaveLength(1);
    const file = mail.attachments[0];
    expect(file.filename).toBe(`rankings-county47-${ranking.period}.xlsx`);
    expect(file.contentType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.content as unknown as ArrayBuffer);
    const cells = book.worksheets[0].getSheetValues().flat().map(String);
    expect(cells).toContain(first.unit.name);
  });

  it('sends the briefing as a PDF printed by Chromium', async () => {
    const sub = await subscribe({ report: 'briefing', schedule: YEARLY, channel: { kind: 'email', to: 'a@union.test, b@union.test' } });
    const run = await sendNow(sub.id, 110_000); // Chromium's first start is slow on a busy machine
    expect(run.deliveries.at(-1)?.error ?? null).toBeNull();
    const mail = smtp.mails.at(-1)!;
    expect(mail.to).toEqual(['a@union.test', 'b@union.test']);
    expect(mail.subject).toMatch(/^本期要点（/);
    const briefing = (await env.app.inject({ url: '/api/briefing', headers })).json();
    for (const s of briefing.sentences.slice(0, 2)) expect(mail.text).toContain(s.zh);
    expect(mail.attachments[0].filename).toMatch(/^briefing-\d{4}\.pdf$/);
    expect(mail.attachments[0].content.subarray(0, 5).toString()).toBe('%PDF-');
  }, 120_000);
});

describe('robots and webhook', () => {
  it('DingTalk: markdown with the figures, signed with HMAC-SHA256 of "timestamp\\nsecret" in the URL', async () => {
    const secret = 'SECdingtalk-test-secret';
    const sub = await subscribe({ report: 'scorecard', params: { unit: '450102' }, schedule: YEARLY, channel: { kind: 'dingtalk', url: `${robot.base}/robot/send?access_token=tok123456789`, secret } });
    expect((await sendNow(sub.id)).status).toBe('sent');
    const r = requestsTo('/robot/send').at(-1)!;
    expect(r.url.searchParams.get('access_token')).toBe('tok123456789');
    const timestamp = r.url.searchParams.get('timestamp')!;
    expect(Math.abs(Number(timestamp) - Date.now())).toBeLessThan(60_000);
    // DingTalk's documented check: base64 HMAC-SHA256(secret, timestamp + "\n" + secret), urlencoded in the URL.
    const expected = createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
    expect(r.url.searchParams.get('sign')).toBe(expected);
    expect(r.url.search).toContain(`sign=${encodeURIComponent(expected)}`);
    const card = (await env.app.inject({ url: '/api/units/450102/scorecard', headers })).json();
    expect(r.body.msgtype).toBe('markdown');
    const md = (r.body.markdown as { title: string; text: string });
    expect(md.title).toMatch(/^兴宁区指标得分卡/);
    expect(md.text).toContain(`综合得分 ${card.composite.toFixed(2)}`);
    expect(md.text).toContain('(https://cockpit.union.test/county?county=450102)');
  });

  it('WeCom: markdown content with the mediation rate and the link', async () => {
    const sub = await subscribe({ report: 'mediation', params: { unit: '450102' }, schedule: YEARLY, channel: { kind: 'wecom', url: `${robot.base}/cgi-bin/webhook/send?key=wecom-key-1` } });
    expect((await sendNow(sub.id)).status).toBe('sent');
    const r = requestsTo('/cgi-bin/webhook/send').at(-1)!;
    expect(r.body.msgtype).toBe('markdown');
    const content = (r.body.markdown as { content: string }).content;
    // 2023 to date for 兴宁区 in the tiny warehouse: M2, M3 success, M4, M7 failed (helpers.ts).
    const rate = (await env.app.inject({ url: '/api/mediation/success-rate?unit=450102', headers })).json();
    expect(content).toContain(`调解成功率 ${rate.rate.toFixed(2)}%（成功 ${rate.success} 件，不成功 ${rate.failed} 件）`);
    expect(content).toContain('https://cockpit.union.test/analyst');
  });

  it('Feishu: text with timestamp and the documented signature in the body', async () => {
    const secret = 'feishu-secret';
    const sub = await subscribe({ report: 'rankings', params: { set: 'reform88' }, schedule: YEARLY, channel: { kind: 'feishu', url: `${robot.base}/open-apis/bot/v2/hook/abcdef123456`, secret } });
    expect((await sendNow(sub.id)).status).toBe('sent');
    const r = requestsTo('/open-apis/bot/v2/hook/abcdef123456').at(-1)!;
    const timestamp = r.body.timestamp as string;
    expect(Math.abs(Number(timestamp) * 1000 - Date.now())).toBeLessThan(60_000);
    // Feishu: base64 HMAC-SHA256 keyed with timestamp + "\n" + secret over an empty message.
    expect(r.body.sign).toBe(createHmac('sha256', `${timestamp}\n${secret}`).update('').digest('base64'));
    expect(r.body.msg_type).toBe('text');
    expect((r.body.content as { text: string }).text).toMatch(/^全区产业工人队伍建设改革88项指标排名/);
  });

  it('webhook: JSON with the file in base64, signed when a secret is set', async () => {
    const secret = 'hook-secret';
    const sub = await subscribe({ report: 'mediation', params: { unit: '450100', format: 'csv' }, schedule: YEARLY, channel: { kind: 'webhook', url: `${robot.base}/hook/archive`, secret } });
    const run = await sendNow(sub.id);
    expect(run.status).toBe('sent');
    const r = requestsTo('/hook/archive').at(-1)!;
    expect(r.body).toMatchObject({ subscription_id: sub.id, run_id: run.id, report: 'mediation', link: 'https://cockpit.union.test/analyst' });
    const file = r.body.file as { name: string; content_type: string; base64: string; size: number };
    expect(file.name).toMatch(/^mediation-450100-\d{4}-01-\d{4}-\d{2}-by-county\.csv$/);
    const csv = Buffer.from(file.base64, 'base64').toString('utf8');
    expect(Buffer.from(file.base64, 'base64').length).toBe(file.size);
    expect(csv.startsWith('\uFEFF')).toBe(true); // the export's CSV: UTF-8 with a BOM
    expect(csv).toContain('兴宁区');
    const ts = r.headers['x-union-cockpit-timestamp'] as string;
    expect(r.headers['x-union-cockpit-signature']).toBe(`sha256=${createHmac('sha256', secret).update(`${ts}.${r.raw}`).digest('hex')}`);
  });

  it('a receiver that fails is retried with a growing pause until it answers; every attempt is logged', async () => {
    const sub = await subscribe({ report: 'mediation', params: { unit: '450102' }, schedule: YEARLY, channel: { kind: 'webhook', url: `${robot.base}/hook/flaky` } });
    robot.failNext(2);
    const run = await sendNow(sub.id);
    expect(run.status).toBe('sent');
    expect(run.attempts).toBe(3);
    expect(run.deliveries.map((d) => d.outcome)).toEqual(['failed', 'failed', 'sent']);
    expect(run.deliveries[0].error).toMatch(/^HTTP 500/);
    const hits = requestsTo('/hook/flaky');
    expect(hits.map((h) => h.status)).toEqual([500, 500, 200]);
    // One run, one message: the same run id each time.
    expect(new Set(hits.map((h) => h.body.run_id))).toEqual(new Set([run.id]));
  });

  it('a receiver that never answers ends the run as failed after maxAttempts', async () => {
    const sub = await subscribe({ report: 'mediation', params: { unit: '450102' }, schedule: YEARLY, channel: { kind: 'webhook', url: `${robot.base}/hook/down` } });
    robot.failNext(100);
    try {
      const run = await sendNow(sub.id);
      expect(run.status).toBe('failed');
      expect(run.deliveries.map((d) => d.outcome)).toEqual(['failed', 'failed', 'failed', 'failed']);
    } finally {
      robot.failNext(0);
    }
  });
});

describe('schedules', () => {
  it('a schedule falls due in Asia/Shanghai time: 08:00 on the 1st is 00:00 UTC', async () => {
    const sub = await subscribe({ report: 'briefing', schedule: '0 8 1 * *', channel: { kind: 'email', to: 'x@union.test' } });
    const listed = (await env.app.inject({ url: '/api/subscriptions', headers })).json().subscriptions.find((s: { id: number }) => s.id === sub.id);
    expect(listed.time_zone).toBe('Asia/Shanghai');
    expect(listed.next_run_at).toMatch(/^\d{4}-\d{2}-(01T00|\d{2}T00):00:00\.000Z$/);
    expect(new Date(listed.next_run_at).getUTCDate() === 1 || new Date(listed.next_run_at).getUTCHours() === 0).toBe(true);
    expect(new Date(listed.next_run_at).getUTCHours()).toBe(0);
    await env.app.inject({ method: 'DELETE', url: `/api/subscriptions/${sub.id}`, headers });
  });

  it('two replicas on one application database send each due run exactly once', async () => {
    const second = await buildApp({ warehouse: env.warehouse, appDb: env.appDb, logger: false, subscriptions: SUBSCRIPTIONS });
    await second.ready();
    try {
      const sub = await subscribe({ report: 'mediation', params: { unit: '450102' }, schedule: '* * * * * *', channel: { kind: 'webhook', url: `${robot.base}/hook/replicas` } });
      await new Promise((r) => setTimeout(r, 3500));
      expect((await env.app.inject({ method: 'DELETE', url: `/api/subscriptions/${sub.id}`, headers })).statusCode).toBe(204);
      await Promise.all([env.app.subscriptions.scheduler.kick(), second.subscriptions.scheduler.kick()]);
      const db = openAppDb(env.appDb);
      const runs = db.prepare("SELECT id, status FROM subscription_runs WHERE subscription_id = ? AND trigger = 'schedule'").all(sub.id) as { id: number; status: string }[];
      const holders = db.prepare('SELECT DISTINCT d.holder FROM subscription_deliveries d JOIN subscription_runs r ON r.id = d.run_id WHERE r.subscription_id = ?').all(sub.id);
      db.close();
      const sent = requestsTo('/hook/replicas').map((r) => r.body.run_id as number);
      expect(runs.length).toBeGreaterThanOrEqual(2);
      // Every run sent, none twice, none a run that does not exist.
      expect(sent.slice().sort((a, b) => a - b)).toEqual(runs.filter((r) => r.status === 'sent').map((r) => r.id).sort((a, b) => a - b));
      expect(new Set(sent).size).toBe(sent.length);
      expect(runs.filter((r) => r.status === 'pending')).toEqual([]);
      expect(holders.length).toBeGreaterThanOrEqual(1);
    } finally {
      await second.close();
    }
  }, 30_000);

  it('a run that fell due while no server ran is sent once when one starts again', async () => {
    const sub = await subscribe({ report: 'mediation', params: { unit: '450102' }, schedule: YEARLY, channel: { kind: 'webhook', url: `${robot.base}/hook/restart` } });
    // The server was down over the due time: the stored next run is in the past.
    const db = openAppDb(env.appDb);
    db.prepare('UPDATE subscriptions SET next_run_at = ? WHERE id = ?').run(Date.now() - 3 * 86_400_000, sub.id);
    db.close();
    const restarted = await buildApp({ warehouse: env.warehouse, appDb: env.appDb, logger: false, subscriptions: SUBSCRIPTIONS });
    await restarted.ready();
    try {
      await until('the missed run', () => requestsTo('/hook/restart').length === 1);
      await restarted.subscriptions.scheduler.kick();
      await env.app.subscriptions.scheduler.kick();
      expect(requestsTo('/hook/restart')).toHaveLength(1);
      const listed = await subscription(sub.id);
      expect(listed!.runs.map((r) => r.status)).toEqual(['sent']);
    } finally {
      await restarted.close();
    }
  });
});

describe('alert pushes', () => {
  it('pushes new high alerts and overdue counties once per period; a quiet period sends nothing', async () => {
    try {
      await alertPushes();
    } finally {
      clockOffset = 0;
    }
  });

  it('the leadership channel set in the environment is one subscription, kept by replicas and replaced when the setting changes', async () => {
    const start = (url: string) =>
      buildApp({ warehouse: env.warehouse, appDb: env.appDb, logger: false, subscriptions: { ...SUBSCRIPTIONS, alerts: { schedule: YEARLY, channel: { kind: 'webhook', url } } } });
    const environmentAlerts = async () =>
      (await env.app.inject({ url: '/api/subscriptions', headers })).json().subscriptions.filter((s: { created_by: string }) => s.created_by === 'environment');
    const replicas = [await start(`${robot.base}/hook/leaders`), await start(`${robot.base}/hook/leaders`)];
    try {
      const kept = await environmentAlerts();
      expect(kept).toHaveLength(1);
      expect(kept[0]).toMatchObject({ report: 'alerts', schedule: YEARLY, channel: { kind: 'webhook', url: `http://127.0.0.1:${robot.port}/…ders` } });
      replicas.push(await start(`${robot.base}/hook/leaders-new`));
      const replaced = await environmentAlerts();
      expect(replaced).toHaveLength(1);
      expect(replaced[0].id).not.toBe(kept[0].id);
      expect(replaced[0].channel.url).toMatch(/…-new$/);
    } finally {
      await Promise.all(replicas.map((r) => r.close()));
    }
  });

  it('a wrong leadership channel in the environment stops the start naming the setting', async () => {
    const start = () =>
      buildApp({ warehouse: env.warehouse, appDb: env.appDb, logger: false, subscriptions: { ...SUBSCRIPTIONS, alerts: { schedule: YEARLY, channel: { kind: 'dingtalk', url: 'http://10.0.0.1/robot' } } } });
    await expect(start()).rejects.toThrow(/^ALERT_CHANNEL_URL: /);
  });

  async function alertPushes() {
    const sub = await subscribe({ report: 'alerts', schedule: YEARLY, channel: { kind: 'dingtalk', url: `${robot.base}/robot/alerts?access_token=leaders`, secret: 'SEC-leaders' } });
    const pushes = () => requestsTo('/robot/alerts');
    // The 20th (Beijing time): last month's monthly reports were due on the 15th.
    const now = new Date();
    const twentieth = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + (now.getUTCDate() >= 20 ? 1 : 0), 20, 4);
    clockOffset = twentieth - Date.now();
    const first = await sendNow(sub.id);
    expect(first.status).toBe('sent');
    expect(pushes()).toHaveLength(1);
    const text = (pushes()[0].body.markdown as { text: string }).text;
    // Nothing has been reported in the app database: every county is overdue for last month's monthly streams.
    const overdue = /逾期未报：(\d+) 个县区，(\d+) 张报表/.exec(text);
    expect(overdue).not.toBeNull();
    expect(Number(overdue![1])).toBeGreaterThan(100);
    const alerts = (await env.app.inject({ url: '/api/alerts?limit=200', headers })).json();
    const high = alerts.alerts.filter((a: { level: string }) => a.level === 'high');
    if (high.length) expect(text).toContain(`新增高等级预警 ${high.length} 项`);
    else expect(text).not.toContain('高等级预警');

    // Nothing new since: the run is quiet and nothing is sent.
    const second = await sendNow(sub.id);
    expect(second.status).toBe('quiet');
    expect(second.deliveries.map((d) => d.outcome)).toEqual(['quiet']);
    expect(pushes()).toHaveLength(1);

    // A month later, the new month's overdue reports are new: pushed once more, the alerts not again.
    clockOffset += 31 * 86_400_000;
    expect((await sendNow(sub.id)).status).toBe('sent');
    expect(pushes()).toHaveLength(2);
    const later = (pushes()[1].body.markdown as { text: string }).text;
    expect(later).toContain('逾期未报');
    expect(later).not.toContain('高等级预警');
    expect((await sendNow(sub.id)).status).toBe('quiet');
    expect(pushes()).toHaveLength(2);
  }
});

describe('input and secrets', () => {
  const good = { report: 'rankings', params: { set: 'county47' }, schedule: YEARLY, channel: { kind: 'email', to: 'x@union.test' } };
  const refused: [string, Record<string, unknown>, string][] = [
    ['a bad cron', { ...good, schedule: '61 * * * *' }, 'schedule'],
    ['a cron of three fields', { ...good, schedule: '* * *' }, 'schedule'],
    ['an unknown channel kind', { ...good, channel: { kind: 'pigeon', to: 'x@union.test' } }, 'channel.kind'],
    ['an email without addresses', { ...good, channel: { kind: 'email' } }, 'channel.to'],
    ['a bad address', { ...good, channel: { kind: 'email', to: 'x@union.test, not-an-address' } }, 'channel.to'],
    ['a robot without a URL', { ...good, channel: { kind: 'dingtalk' } }, 'channel.url'],
    ['a URL that is no URL', { ...good, channel: { kind: 'webhook', url: 'not a url' } }, 'channel.url'],
    ['a file: URL', { ...good, channel: { kind: 'webhook', url: 'file:///etc/passwd' } }, 'channel.url'],
    ['a host the operator did not allow', { ...good, channel: { kind: 'webhook', url: 'http://169.254.169.254/latest' } }, 'channel.url'],
    ['DingTalk over plain http', { ...good, channel: { kind: 'dingtalk', url: 'http://oapi.dingtalk.com/robot/send?access_token=x' } }, 'channel.url'],
    ['an unknown report', { ...good, report: 'everything' }, 'report'],
    ['rankings without a set', { ...good, params: {} }, 'params.set'],
    ['an unknown unit', { ...good, report: 'scorecard', params: { unit: '459999' } }, 'params.unit'],
    ['a parameter the report does not take', { ...good, params: { set: 'county47', unit: '450102' } }, 'params.unit'],
    ['a format the report has not', { ...good, report: 'briefing', params: { format: 'xlsx' } }, 'params.format'],
    ['no schedule', { report: 'briefing', channel: good.channel }, 'schedule'],
  ];
  it.each(refused)('%s is a 400 naming the field', async (_, body, field) => {
    const res = await env.app.inject({ method: 'POST', url: '/api/subscriptions', payload: body, headers });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'bad_request', field });
  });

  it("robot URLs and secrets are never sent back in full", async () => {
    const url = 'https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef0123456789abcdef';
    const made = await subscribe({ report: 'briefing', schedule: YEARLY, channel: { kind: 'dingtalk', url, secret: 'SECverysecretvalue' } });
    expect(made.channel).toEqual({ kind: 'dingtalk', to: null, url: 'https://oapi.dingtalk.com/…cdef', secret_set: true });
    const list = await env.app.inject({ url: '/api/subscriptions', headers });
    expect(list.body).not.toContain('0123456789abcdef0123');
    expect(list.body).not.toContain('SECverysecretvalue');
    await env.app.inject({ method: 'DELETE', url: `/api/subscriptions/${made.id}`, headers });
  });

  it('a deleted subscription is gone from the list and cannot be sent; an unknown id is a 404', async () => {
    const made = await subscribe(good);
    expect((await env.app.inject({ method: 'DELETE', url: `/api/subscriptions/${made.id}`, headers })).statusCode).toBe(204);
    const list = (await env.app.inject({ url: '/api/subscriptions', headers })).json().subscriptions;
    expect(list.map((s: { id: number }) => s.id)).not.toContain(made.id);
    for (const [method, url] of [['POST', `/api/subscriptions/${made.id}/run`], ['DELETE', `/api/subscriptions/${made.id}`], ['POST', '/api/subscriptions/999999/run']] as const) {
      const res = await env.app.inject({ method, url, headers });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.field).toBe('id');
    }
  });

  it('deleting a subscription settles its waiting runs as failed, with the reason in the log', async () => {
    const made = await subscribe(good);
    const db = openAppDb(env.appDb);
    try {
      // A run due in an hour: still waiting when the subscription goes.
      const run = requestRun(db, made.id, 'analyst', Date.now() + 3_600_000);
      expect((await env.app.inject({ method: 'DELETE', url: `/api/subscriptions/${made.id}`, headers })).statusCode).toBe(204);
      expect(db.prepare('SELECT status, finished_at IS NOT NULL AS finished FROM subscription_runs WHERE id = ?').get(run.id)).toEqual({ status: 'failed', finished: 1 });
      expect(db.prepare('SELECT holder, outcome, error FROM subscription_deliveries WHERE run_id = ?').all(run.id)).toEqual([
        { holder: 'analyst', outcome: 'failed', error: DELETED_BEFORE_SENT },
      ]);
    } finally {
      db.close();
    }
  });

  it('only analysts and admins manage subscriptions', async () => {
    for (const who of ['leader', 'county-450102', 'reviewer']) {
      const cookie = await env.login(who);
      expect((await env.app.inject({ url: '/api/subscriptions', headers: { cookie } })).statusCode, who).toBe(403);
      expect((await env.app.inject({ method: 'POST', url: '/api/subscriptions', payload: good, headers: { cookie, 'x-requested-with': 'x' } })).statusCode, who).toBe(403);
    }
    const admin = await env.login('admin');
    expect((await env.app.inject({ url: '/api/subscriptions', headers: { cookie: admin } })).statusCode).toBe(200);
  });
});

export type { ReceivedRequest };
