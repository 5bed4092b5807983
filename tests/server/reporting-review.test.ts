// The reviewer's side of county reporting, through the real app (inject), the real ETL worker and the
// tiny warehouse of helpers.ts: .xls uploads, what a submission would change (preview, by the engine's
// SQL, nothing published), the 催报 list, the wall's completeness counts, and punctuality judged from
// the submission time once a county's report is published.
import ExcelJS from 'exceljs';
import * as XLSX from '@e965/xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recentAudit } from '../../server/appdb/audit.ts';
import { getSubmission } from '../../server/appdb/submissions.ts';
import { createToken } from '../../server/appdb/tokens.ts';
import { multipart } from '../helpers/multipart.ts';
import { login, testEnv, type TestEnv } from './helpers.ts';

let env: TestEnv;
const who: Record<'county' | 'neighbour' | 'reviewer' | 'analyst' | 'leader', string> = {} as never;
const SAME = { 'x-requested-with': 'union-cockpit' };
const HEAD = 'case_id,county_code,received_date,closed_date,dispute_type,channel,outcome,workers,amount_yuan\n';

async function upload(cookie: string, name: string, content: string | Buffer) {
  const body = multipart({ name, content });
  return env.app.inject({ method: 'POST', url: '/api/submissions', payload: body.payload, headers: { cookie, ...body.headers, ...SAME } });
}
const act = (cookie: string, url: string, payload?: object) => env.app.inject({ method: 'POST', url, headers: { cookie, ...SAME }, payload });
const get = (cookie: Record<string, string> | string, url: string) =>
  env.app.inject({ url, headers: typeof cookie === 'string' ? { cookie } : cookie });

beforeAll(async () => {
  env = await testEnv({ reporting: { publisher: { settleMs: 100, pollMs: 300, retryMs: 300 } } });
  who.county = await login(env.app, 'county-450102', 'county-demo');
  who.neighbour = await login(env.app, 'county-450103', 'county-demo');
  who.reviewer = await login(env.app, 'reviewer', 'reviewer-demo');
  who.analyst = await login(env.app, 'analyst', 'analyst-demo');
  who.leader = await login(env.app, 'leader', 'leader-demo');
});
afterAll(() => env?.close());

describe('.xls uploads', () => {
  it('an Excel 97-2003 file (OLE2) is read and checked like an .xlsx, and kept as .xls', async () => {
    const ws = XLSX.utils.aoa_to_sheet([
      ['兴宁区2023年4月劳动争议调解案件台账'],
      ['case_id', 'county_code', 'received_date', 'closed_date', 'dispute_type', 'channel', 'outcome', 'workers', 'amount_yuan'],
      ['X1', '450102', '2023-04-01', '2023-04-05', 'wages', 'union', 'success', 1, ''],
      ['X2', '450102', '2023-04-02', '2023-04-06', 'wages', 'union', 'succes', 1, ''],
    ]);
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, ws, '台账');
    const xls = XLSX.write(wb, { type: 'buffer', bookType: 'biff8' }) as Buffer;
    const res = await upload(who.county, '兴宁区4月台账.xls', xls);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ stream: 'mediation', period: '2023-04', accepted: 1, rejected: 1 });
    expect(res.json().rejects[0]).toMatchObject({ line: 4, column: 'outcome', value: 'succes' });
    expect(getSubmission(env.app.appDb, res.json().id)!.file_name).toBe(`${res.json().id}.xls`);
  });

  it('a WPS .et file (also OLE2) is refused with 415: save it as .xlsx', async () => {
    const res = await upload(who.county, '台账.et', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]));
    expect(res.statusCode).toBe(415);
    expect(res.json().error).toMatchObject({ code: 'unsupported_media_type', field: 'file' });
    expect(res.json().error.message).toContain('请另存为 .xlsx');
  });
});

describe('what a submission would change (preview)', () => {
  // 450102's year to March 2023 in helpers.ts: closed M1, M2, M3 success, M4 and M7 failed: 3 of 5.
  // The file sends M2 again as it is, M4 now a success (a correction), and a new success S1 in March.
  const FILE = HEAD + [
    'M2,450102,2023-01-03,2023-01-10,wages,union,success,2,',
    'M4,450102,2023-01-05,2023-01-25,injury,union,success,3,',
    'S1,450102,2023-03-01,2023-03-05,wages,union,success,1,',
    'S2,450103,2023-03-01,2023-03-05,wages,union,success,1,', // another county's row: rejected, not merged
  ].join('\n') + '\n';
  let id: number;

  it("shows the county's headline figure over the months touched before and after, with new, replaced and unchanged rows", async () => {
    const up = await upload(who.county, 'march.csv', FILE);
    expect(up.statusCode, up.body).toBe(201);
    id = up.json().id;
    await act(who.county, `/api/submissions/${id}/submit`);
    const res = await get(who.reviewer, `/api/submissions/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    const { preview } = res.json();
    expect(preview).toMatchObject({
      stream: 'mediation',
      county_code: '450102',
      county_name: '兴宁区',
      new_rows: 1,
      replaced_rows: 1,
      unchanged_rows: 1,
      rejected_rows: 1,
      figure: {
        metric: 'mediation_success_rate',
        name_zh: '劳动争议调解成功率',
        unit: 'percent',
        from: '2023-01',
        to: '2023-03',
        before: { value: 60, numerator: 3, denominator: 5, null_reason: null },
        after: { numerator: 5, denominator: 6, null_reason: null },
      },
    });
    expect(preview.figure.after.value).toBeCloseTo((100 * 5) / 6, 10);
  });

  it('its "before" is the figure the cockpit publishes today, and nothing reaches the warehouse', async () => {
    const live = (await get(who.analyst, '/api/mediation/success-rate?unit=450102&from=2023-01&to=2023-03')).json();
    expect(live).toMatchObject({ success: 3, failed: 2, rate: 60 });
  });

  it('is kept once computed, and the county sees it on its own submission', async () => {
    const again = (await get(who.county, `/api/submissions/${id}`)).json();
    expect(again.preview.figure.before.value).toBe(60);
    expect(env.app.appDb.prepare('SELECT count(*) AS n FROM submission_previews WHERE submission_id = ?').get(id)).toEqual({ n: 1 });
  });
});

describe('催报: the overdue list as XLSX', () => {
  it('lists every county and stream past its deadline and not sent, and those returned and not sent again', async () => {
    // 450103 sends May's mediation file and has it returned.
    const { id } = (await upload(who.neighbour, 'may.csv', HEAD + 'Y1,450103,2023-05-02,2023-05-09,wages,union,success,1,\n')).json();
    await act(who.neighbour, `/api/submissions/${id}/submit`);
    expect((await act(who.reviewer, `/api/submissions/${id}/return`, { reason: '请补充5月全部案件' })).statusCode).toBe(200);

    const res = await get(who.reviewer, '/api/reporting/overdue.xlsx?period=2023-05');
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain('overdue-2023-05.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as never);
    const sheet = wb.worksheets[0];
    const values = sheet.getSheetValues().filter(Boolean).map((r) => (r as unknown[]).slice(1));
    const header = values.findIndex((r) => r[0] === '市');
    expect(values[header]).toEqual(['市', '县区代码', '县区', '报表', '报告期', '截止日期', '逾期天数', '状态']);
    const rows = values.slice(header + 1);
    // Six streams have a calendar deadline (indicator values are due per indicator): 111 x 6, one of them returned.
    expect(rows).toHaveLength(111 * 6);
    const returned = rows.filter((r) => r[7] === '已退回，待重报');
    expect(returned).toEqual([['南宁市', '450103', '青秀区', '劳动争议调解案件', '2023-05', '2023-06-10', expect.any(Number), '已退回，待重报']]);
    const xingningTraining = rows.find((r) => r[1] === '450102' && r[3] === '职工技能培训')!;
    expect(xingningTraining.slice(4)).toEqual(['2023-Q2', '2023-07-15', expect.any(Number), '逾期未报']);
    // Days overdue: from the end of the deadline day in China to now.
    const days = Math.ceil((Date.now() - Date.parse('2023-07-15T23:59:59.999+08:00')) / 86_400_000);
    expect(Math.abs((xingningTraining[6] as number) - days)).toBeLessThanOrEqual(1);
    expect(recentAudit(env.app.appDb, 20).find((a) => a.action === 'export')).toMatchObject({ actor: 'reviewer', target: 'overdue-2023-05.xlsx' });
  });

  it('names the month it needs: 400 on period', async () => {
    const res = await get(who.reviewer, '/api/reporting/overdue.xlsx?period=2023-13');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('period');
  });
});

describe("the wall's completeness counts", () => {
  it('a display token reads the totals (counts only, no county row) and not the matrix', async () => {
    const display = { authorization: `Bearer ${createToken(env.app.appDb, 'wall', 'test').token}` };
    const res = await get(display, '/api/reporting/totals?period=2023-05');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(['period', 'totals']);
    expect(body.totals).toMatchObject({ counties: 111, complete: 0, overdue: 111 });
    expect(body.totals.by_stream.find((s: { stream: string }) => s.stream === 'mediation')).toEqual({ stream: 'mediation', submitted: 1, late: 1, overdue: 110 });
    expect(JSON.stringify(body)).not.toContain('450103');
    expect((await get(display, '/api/reporting/status?period=2023-05')).statusCode).toBe(403);
  });

  it("defaults to the last month that has ended, in China", async () => {
    const body = (await get(who.leader, '/api/reporting/totals')).json();
    const china = new Date(Date.now() + 8 * 3600_000);
    const last = new Date(Date.UTC(china.getUTCFullYear(), china.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
    expect(body.period).toBe(last);
  });
});

describe('punctuality from submission times', () => {
  const dataQuality = async () =>
    (await get(who.analyst, '/api/units/450102/scorecard')).json().data_quality as { reports_late: number; reports_on_time: number; reports_central: number; reports_received: number };

  it("a county's indicator-value report sent after its deadline counts as late once published; central loads stay central", async () => {
    const before = await dataQuality();
    // C01 is an annual county47 indicator: 2022's report was due by 15 January 2023 (the reporting calendar).
    const { id } = (await upload(who.county, 'c01-2022.csv', 'indicator_code,unit_code,period,value\nC01,450102,2022,3\n')).json();
    await act(who.county, `/api/submissions/${id}/submit`);
    const published = env.app.reporting.publisher.next();
    expect((await act(who.reviewer, `/api/submissions/${id}/approve`)).statusCode).toBe(200);
    expect(await published).toMatchObject({ ok: true, ids: expect.arrayContaining([id]) });
    const after = await dataQuality();
    expect(after.reports_late).toBe(before.reports_late + 1);
    expect(after.reports_received).toBe(before.reports_received + 1);
    expect(after.reports_on_time).toBe(before.reports_on_time);
    expect(after.reports_central).toBe(before.reports_central);
  }, 240_000);
});
