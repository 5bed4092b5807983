// County reporting, end to end through the real app (inject), the real ETL worker process and the
// tiny DuckDB warehouse of helpers.ts: upload and check (nothing reaches the warehouse), the state
// machine, county isolation, replacement, size and type limits, return with a reason, approve ->
// publish -> the figure changes, a killed publish retried once, and the audit log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recentAudit } from '../../server/appdb/audit.ts';
import { getSubmission } from '../../server/appdb/submissions.ts';
import { multipart } from '../helpers/multipart.ts';
import { login, testEnv, type TestEnv } from './helpers.ts';

let env: TestEnv;
const who: Record<'county' | 'neighbour' | 'reviewer' | 'analyst', string> = {} as never;
const SAME = { 'x-requested-with': 'union-cockpit' };

const HEAD = 'case_id,county_code,received_date,closed_date,dispute_type,channel,outcome,workers,amount_yuan\n';
/** 450102's March 2023 so far: M7 failed (helpers.ts). These add two successes and a failure. */
const MARCH_MESSY = HEAD + [
  'S1,450102,2023-03-01,2023-03-05,wages,union,success,1,',
  'S2,450103,2023-03-01,2023-03-06,wages,union,success,1,', // the neighbour's row
  'S3,450102,2023-03-02,2023-03-07,wages,union,succes,1,', // a typo
].join('\n') + '\n';
const MARCH_FIXED = HEAD + ['S1,450102,2023-03-01,2023-03-05,wages,union,success,1,', 'S3,450102,2023-03-02,2023-03-07,wages,union,success,1,'].join('\n') + '\n';

async function upload(cookie: string, name: string, content: string | Buffer, fields: Record<string, string> = {}, extra: Record<string, string> = SAME) {
  const body = multipart({ name, content }, fields);
  return env.app.inject({ method: 'POST', url: '/api/submissions', payload: body.payload, headers: { cookie, ...body.headers, ...extra } });
}

const act = (cookie: string, method: 'POST' | 'DELETE', url: string, payload?: object) =>
  env.app.inject({ method, url, headers: { cookie, ...SAME }, payload });

async function rate(unit: string, month: string) {
  const res = await env.app.inject({ url: `/api/mediation/success-rate?unit=${unit}&from=${month}&to=${month}`, headers: { cookie: who.analyst } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { success: number; failed: number; rate: number };
}

beforeAll(async () => {
  env = await testEnv({ reporting: { uploadLimit: 64 * 1024, publisher: { settleMs: 100, pollMs: 300, retryMs: 300 } } });
  who.county = await login(env.app, 'county-450102', 'county-demo');
  who.neighbour = await login(env.app, 'county-450103', 'county-demo');
  who.reviewer = await login(env.app, 'reviewer', 'reviewer-demo');
  who.analyst = await login(env.app, 'analyst', 'analyst-demo');
});
afterAll(() => env?.close());

describe('upload and check', () => {
  let firstId: number;

  it('answers 201 with the counts and every reject; a row for another county is rejected with a reason', async () => {
    const res = await upload(who.county, '兴宁区3月调解台账.csv', MARCH_MESSY);
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    firstId = body.id;
    expect(body).toMatchObject({ status: 'validated', stream: 'mediation', period: '2023-03', months: ['2023-03'], read: 3, accepted: 1, rejected: 2, replaced: [] });
    expect(body.rejects).toEqual([
      { line: 3, column: 'county_code', value: '450103', reason_zh: '单位代码 450103 不是本单位 450102', reason_en: '450103 is not your county (450102)' },
      expect.objectContaining({ line: 4, column: 'outcome', value: 'succes', reason_zh: '不是有效选项' }),
    ]);
  });

  it("refuses a row whose key another county has filed (merge by key would replace the neighbour's case)", async () => {
    // M8 is 450103's case in the warehouse (helpers.ts).
    const res = await upload(who.county, 'taken.csv', HEAD + 'M8,450102,2023-06-01,2023-06-05,wages,union,success,1,\n');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ accepted: 0, rejected: 1 });
    expect(res.json().rejects[0]).toMatchObject({ line: 2, column: 'county_code', reason_zh: '编号已被其他单位使用', reason_en: 'M8 is already filed by another county' });
    // No row accepted: nothing to send for review, as the submit page's disabled button says too.
    const sent = await act(who.county, 'POST', `/api/submissions/${res.json().id}/submit`);
    expect(sent.statusCode, sent.body).toBe(409);
    expect(sent.json().error.message).toContain('no row was accepted');
  });

  it('touches nothing in the warehouse', async () => {
    expect(await rate('450102', '2023-03')).toMatchObject({ success: 0, failed: 1 });
  });

  it('offers the rejected rows as a CSV to fix and send again', async () => {
    const res = await env.app.inject({ url: `/api/submissions/${firstId}/rejects.csv`, headers: { cookie: who.county } });
    expect(res.statusCode).toBe(200);
    expect(res.body.split('\r\n')[1]).toBe('S2,450103,2023-03-01,2023-03-06,wages,union,success,1,,3,county_code: 单位代码 450103 不是本单位 450102 / 450103 is not your county (450102)');
  });

  it('a new upload for the same county, stream and period replaces the earlier one', async () => {
    const res = await upload(who.county, 'fixed.csv', MARCH_FIXED);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ accepted: 2, rejected: 0, rejects: [], replaced: [firstId] });
    expect(getSubmission(env.app.appDb, firstId)?.status).toBe('replaced');
  });

  it('refuses a file over the limit with 413 naming the limit', async () => {
    const res = await upload(who.county, 'big.csv', HEAD + 'x'.repeat(70 * 1024));
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toMatchObject({ code: 'payload_too_large', field: 'file' });
    expect(res.json().error.message).toContain('0.1 MB');
  });

  it('sniffs the type from the content, not the name: 415', async () => {
    const exe = await upload(who.county, 'data.csv', Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00]));
    expect(exe.statusCode).toBe(415);
    expect(exe.json().error.code).toBe('unsupported_media_type');
    // OLE2 is read as .xls (reporting-review.test.ts uploads a real one), but WPS's .et is OLE2 too and is refused.
    const et = await upload(who.county, 'old.et', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]));
    expect(et.statusCode).toBe(415);
    expect(et.json().error.message).toContain('请另存为 .xlsx');
  });

  it('a file without a recognisable header is a 400 naming the file as uploaded, not where it is kept', async () => {
    const res = await upload(who.county, 'notes.csv', 'hello,world\n1,2\n');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('file');
    expect(res.json().error.message).toContain('notes.csv');
    expect(res.json().error.message).not.toContain('.incoming-');
  });

  it('refuses state-changing requests that do not come from the cockpit (no X-Requested-With, foreign Origin)', async () => {
    const bare = await upload(who.county, 'fixed.csv', MARCH_FIXED, {}, {});
    expect(bare.statusCode).toBe(403);
    const foreign = await upload(who.county, 'fixed.csv', MARCH_FIXED, {}, { origin: 'https://evil.example' });
    expect(foreign.statusCode).toBe(403);
  });
});

describe('isolation', () => {
  it("a county gets the same 403 for another county's submission as for one that does not exist", async () => {
    const [mine] = (await env.app.inject({ url: '/api/submissions?county=450102', headers: { cookie: who.county } })).json().submissions;
    const theirs = await env.app.inject({ url: `/api/submissions/${mine.id}`, headers: { cookie: who.neighbour } });
    const missing = await env.app.inject({ url: '/api/submissions/999999', headers: { cookie: who.neighbour } });
    expect(theirs.statusCode).toBe(403);
    expect(missing.statusCode).toBe(403);
    expect(theirs.json()).toEqual(missing.json());
    expect((await act(who.neighbour, 'POST', `/api/submissions/${mine.id}/submit`)).statusCode).toBe(403);
    expect((await act(who.neighbour, 'DELETE', `/api/submissions/${mine.id}`)).statusCode).toBe(403);
    expect((await env.app.inject({ url: '/api/submissions?county=450102', headers: { cookie: who.neighbour } })).statusCode).toBe(403);
  });
});

describe('review and publish', () => {
  it('submit, return with a reason the county reads, resubmit, approve: published and the figure changes', async () => {
    const list = (await env.app.inject({ url: '/api/submissions?county=450102&status=validated&period=2023-03', headers: { cookie: who.county } })).json().submissions;
    expect(list).toHaveLength(1);
    const id = list[0].id;
    expect((await act(who.reviewer, 'POST', `/api/submissions/${id}/approve`)).statusCode).toBe(409); // not submitted yet
    const sent = await act(who.county, 'POST', `/api/submissions/${id}/submit`);
    expect(sent.json().submission).toMatchObject({ status: 'submitted' });

    const noReason = await act(who.reviewer, 'POST', `/api/submissions/${id}/return`, {});
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.field).toBe('reason');
    expect((await act(who.reviewer, 'POST', `/api/submissions/${id}/return`, { reason: '  ' })).statusCode).toBe(400);
    expect((await act(who.reviewer, 'POST', `/api/submissions/${id}/return`, { reason: 'S3 的结案日期请核对' })).statusCode).toBe(200);
    const seen = (await env.app.inject({ url: `/api/submissions/${id}`, headers: { cookie: who.county } })).json();
    expect(seen.submission).toMatchObject({ status: 'returned', return_reason: 'S3 的结案日期请核对', reviewer: 'reviewer' });
    expect(seen.history.map((h: { status: string }) => h.status)).toEqual(['validated', 'submitted', 'returned']);
    expect((await act(who.county, 'POST', `/api/submissions/${id}/submit`)).statusCode).toBe(409); // returned: upload again

    const again = (await upload(who.county, 'fixed-again.csv', MARCH_FIXED)).json();
    expect(again.replaced).toEqual([id]);
    await act(who.county, 'POST', `/api/submissions/${again.id}/submit`);
    const published = env.app.reporting.publisher.next();
    const approved = await act(who.reviewer, 'POST', `/api/submissions/${again.id}/approve`);
    expect(approved.json().submission.status).toBe('approved');
    expect((await act(who.county, 'DELETE', `/api/submissions/${again.id}`)).statusCode).toBe(409); // not after approval
    expect(await published).toMatchObject({ ok: true, ids: [again.id] });
    const row = getSubmission(env.app.appDb, again.id)!;
    expect(row).toMatchObject({ status: 'published', snapshot_id: env.app.warehouse.current!.id, attempts: 1 });
    // M7 failed, S1 and S3 succeeded: 2 / 3.
    expect(await rate('450102', '2023-03')).toMatchObject({ success: 2, failed: 1, rate: 66.67 });
    // The first submission counted for lateness stays the first one sent.
    expect(row.first_submitted_at! <= row.submitted_at!).toBe(true);
  }, 240_000);

  it('a publish killed mid-way leaves its submission approved; the retry publishes it once', async () => {
    const april = HEAD + 'S9,450102,2023-04-01,2023-04-10,wages,union,success,1,\n';
    const { id } = (await upload(who.county, 'april.csv', april)).json();
    await act(who.county, 'POST', `/api/submissions/${id}/submit`);
    const { publisher, publishWorker } = env.app.reporting;
    const failed = publisher.next();
    await act(who.reviewer, 'POST', `/api/submissions/${id}/approve`);
    // Kill the worker once it is loading the file.
    while (publishWorker.busy !== 'publish') await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 100));
    process.kill(publishWorker.pid!, 'SIGKILL');
    expect(await failed).toMatchObject({ ok: false, ids: [id] });
    expect(getSubmission(env.app.appDb, id)).toMatchObject({ status: 'approved', attempts: 1 });
    expect(getSubmission(env.app.appDb, id)!.last_error).toMatch(/ETL worker/);
    expect(await rate('450102', '2023-04')).toMatchObject({ success: 0, failed: 0 });

    expect(await publisher.next()).toMatchObject({ ok: true, ids: [id] });
    expect(getSubmission(env.app.appDb, id)).toMatchObject({ status: 'published', attempts: 2, last_error: null });
    expect(await rate('450102', '2023-04')).toMatchObject({ success: 1, failed: 0, rate: 100 });
  }, 240_000); // two publishes, each a worker start and a rebuild of the marts: slow on a busy machine

  it('the status matrix shows each county and stream; a county gets only its own row', async () => {
    const res = await env.app.inject({ url: '/api/reporting/status?period=2023-03', headers: { cookie: who.reviewer } });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.counties).toHaveLength(111);
    const mine = body.counties.find((c: { county_code: string }) => c.county_code === '450102');
    expect(mine.cells.find((c: { stream: string }) => c.stream === 'mediation')).toMatchObject({ period: '2023-03', deadline: '2023-04-10', status: 'published', late: true });
    expect(body.totals.by_stream.find((s: { stream: string }) => s.stream === 'mediation')).toMatchObject({ submitted: 1, late: 1, overdue: 110 });
    const own = (await env.app.inject({ url: '/api/reporting/status?period=2023-03', headers: { cookie: who.county } })).json();
    expect(own.counties.map((c: { county_code: string }) => c.county_code)).toEqual(['450102']);
  });

  it('every step is in the audit log', async () => {
    const actions = recentAudit(env.app.appDb, 200).map((a) => a.action);
    for (const a of ['submission_upload', 'submission_submit', 'submission_return', 'submission_approve', 'submission_publish']) expect(actions).toContain(a);
  });

  it('a publish entry says how long its publish took and where the time went', () => {
    const entry = recentAudit(env.app.appDb, 200).find((a) => a.action === 'submission_publish')!;
    const { publish } = JSON.parse(entry.detail!) as { publish: { seconds: number; stages: Record<string, number> } };
    expect(publish.seconds).toBeGreaterThan(0);
    expect(Object.keys(publish.stages)).toEqual(expect.arrayContaining(['files', 'derived', 'publish']));
    expect(Object.values(publish.stages).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(publish.seconds + 0.01);
  });
});
