// Exports: the same rows as the JSON endpoints, as CSV (BOM, no formula injection), XLSX (title, frozen
// header, number formats, widths) and PDF (when Chromium is installed; a clear 503 otherwise); only the
// roles that may export, every export audited, report names a fixed list.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { recentAudit } from '../../server/appdb/audit.ts';
import { createToken } from '../../server/appdb/tokens.ts';
import { neutralise } from '../../core/formula-guard.ts';
import { toCsv } from '../../server/exports/csv.ts';
import { toHtml } from '../../server/exports/html.ts';
import type { Report } from '../../server/exports/report.ts';
import { rankingsReport, scorecardReport } from '../../server/exports/reports.ts';
import { toXlsx } from '../../server/exports/xlsx.ts';
import type { MembersResponse, ClaimsResponse } from '../../server/schemas/insurance.ts';
import type { SuccessRateResponse } from '../../server/schemas/mediation.ts';
import type { RankingsResponse, ScorecardResponse } from '../../server/schemas/scores.ts';
import { launch } from '../e2e/browser.ts';
import { buildTestApp, login, testEnv } from './helpers.ts';

const CHROMIUM = '/usr/bin/chromium';

const env = await buildTestApp();
const analyst = await env.login('analyst');

const get = (url: string, headers: Record<string, string> = { cookie: analyst }) => env.app.inject({ url, headers });
const json = async <T>(url: string) => (await get(url)).json() as T;

async function workbook(body: Buffer): Promise<ExcelJS.Worksheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as never);
  return wb.worksheets[0];
}

/** The rows above the freeze line: the header is the last of them. */
const frozenRows = (sheet: ExcelJS.Worksheet) => (sheet.views[0] as { ySplit: number }).ySplit;

/** Rows of a CSV body (no quoted newlines in these tests). */
const csvRows = (body: string) => body.replace(/^\uFEFF/, '').trimEnd().split('\r\n').map((l) => l.split(','));

describe('CSV', () => {
  it('is UTF-8 with a BOM, CRLF lines, and holds the JSON series and the total', async () => {
    const url = 'unit=450100&from=2023-01&to=2023-03&by=county';
    const res = await get(`/api/exports/mediation.csv?${url}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="mediation-450100-2023-01-2023-03-by-county.csv"');
    expect(res.headers['cache-control']).toBe('no-store');
    expect([...res.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(res.body).toContain('\r\n');
    const rows = csvRows(res.body);
    expect(rows[0]).toEqual(['代码', '县（市、区）', '调解成功（件）', '调解不成功（件）', '成功率（%）']);
    const data = await json<SuccessRateResponse>(`/api/mediation/success-rate?${url}`);
    expect(rows.slice(1, -1)).toEqual(data.series!.map((p) => [p.key, p.name, String(p.success), String(p.failed), p.rate === null ? '' : String(p.rate)]));
    expect(rows.at(-1)).toEqual(['', '合计', String(data.success), String(data.failed), String(data.rate)]);
    // 450102: Jan-Mar 2023 success M1 M2 M3, failed M4 M7 (by hand, see helpers.ts)
    expect(rows.find((r) => r[0] === '450102')).toEqual(['450102', '兴宁区', '3', '2', '60']);
  });

  it('English headers with lang=en', async () => {
    const res = await get('/api/exports/mediation.csv?unit=450102&lang=en');
    expect(csvRows(res.body)[0]).toEqual(['Month', 'Successful', 'Failed', 'Success rate (%)']);
  });

  it('with lang=en, units appear under their official English names, as dim_unit keeps them', async () => {
    const byCounty = csvRows((await get('/api/exports/mediation.csv?unit=450100&by=county&from=2023-01&to=2023-03&lang=en')).body);
    expect(byCounty.find((r) => r[0] === '450102')?.[1]).toBe('Xingning District');
    const rankings = (await get('/api/exports/rankings.csv?set=county47&city=450100&lang=en')).body;
    expect(rankings).toContain('Xingning District');
    expect(rankings).not.toMatch(/[\u4e00-\u9fff]区/);
    const card = await json<ScorecardResponse>('/api/units/450102/scorecard');
    const report = await scorecardReport(env.app.warehouse.current!, card, 'en');
    expect(report.title).toContain('Scorecard, Xingning District');
    expect(report.notes[0]).toBe('Unit: Xingning District (450102)');
    // Chinese stays the default
    expect(csvRows((await get('/api/exports/mediation.csv?unit=450100&by=county&from=2023-01&to=2023-03')).body).find((r) => r[0] === '450102')?.[1]).toBe('兴宁区');
  });

  it('neutralises formula injection in text cells, quotes separators, keeps numbers numbers', () => {
    for (const evil of ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd']) expect(neutralise(evil)).toBe(`'${evil}`);
    expect(neutralise('兴宁区')).toBe('兴宁区');
    const report: Report = {
      filename: 'x',
      title: 't',
      notes: [],
      lang: 'zh-CN',
      columns: [
        { key: 'name', header: '=cmd', type: 'text' },
        { key: 'n', header: 'n', type: 'integer' },
      ],
      rows: [
        { name: '=1+2', n: -3 },
        { name: 'a,"b"\nc', n: 4 },
        { name: '-5', n: null },
      ],
    };
    expect(toCsv(report)).toBe(`\uFEFF'=cmd,n\r\n'=1+2,-3\r\n"a,""b""\nc",4\r\n'-5,\r\n`);
  });
});

describe('XLSX', () => {
  it('has a title row, a frozen and filterable header, number formats, widths and the same rows as the JSON', async () => {
    const res = await get('/api/exports/mediation.xlsx?unit=450000&from=2023-01&to=2023-02&by=city');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const sheet = await workbook(res.rawPayload);
    expect(sheet.getCell('A1').value).toBe('广西壮族自治区劳动争议调解成功率（2023-01 至 2023-02）');
    expect(sheet.getCell('A1').font.bold).toBe(true);
    const headerRow = frozenRows(sheet);
    expect(sheet.views[0].state).toBe('frozen');
    expect(sheet.getRow(headerRow).values).toEqual([undefined, '代码', '市', '调解成功（件）', '调解不成功（件）', '成功率（%）']);
    expect(sheet.autoFilter).toBeTruthy();
    const data = await json<SuccessRateResponse>('/api/mediation/success-rate?unit=450000&from=2023-01&to=2023-02&by=city');
    const body = (sheet.getSheetValues() as unknown[][]).slice(headerRow + 1).filter(Boolean).map((r) => r.slice(1));
    expect(body).toHaveLength(14 + 1);
    for (const [i, p] of data.series!.entries()) expect(body[i]).toEqual([p.key, p.name, p.success, p.failed, ...(p.rate === null ? [] : [p.rate])]); // an empty cell ends the row
    // Nanning (450100): success M1 M2 M3 M8 M9, failed M4 M10 M11 in Jan-Feb 2023
    expect(body[0]).toEqual(['450100', '南宁市', 5, 3, 62.5]);
    expect(body.at(-1)).toEqual([undefined, '合计', data.success, data.failed, data.rate]);
    expect(sheet.getColumn(5).numFmt).toBe('#,##0.00"%"'); // as core/format.ts prints it in the PDF: 72.20%
    expect(sheet.getColumn(3).numFmt).toBe('#,##0');
    expect(sheet.getColumn(2).width).toBeGreaterThanOrEqual(8);
    expect(sheet.getColumn(4).width).toBeGreaterThanOrEqual(16); // '调解不成功（件）' is 16 columns wide
  });

  it('insurance: members and claims by year, or claims by month of a year', async () => {
    const byYear = await workbook((await get('/api/exports/insurance.xlsx?unit=450102')).rawPayload);
    const members = await json<MembersResponse>('/api/insurance/members?unit=450102');
    const claims = await json<ClaimsResponse>('/api/insurance/claims?unit=450102&year=2023');
    const rows = (byYear.getSheetValues() as unknown[][]).slice(frozenRows(byYear) + 1).filter(Boolean).map((r) => r.slice(1));
    expect(rows.map((r) => r[0])).toEqual(['2022', '2023']);
    expect(rows[1]).toEqual(['2023', members.years[1].members, members.years[1].growth, claims.paid_count, claims.paid_amount, claims.beneficiaries, claims.days_to_pay_mean, claims.days_to_pay_median]);
    // 2023 in 450102: members A B C (2022: A B), claims C1 C2 C3 paid to A B A
    expect(rows[1].slice(0, 6)).toEqual(['2023', 3, 50, 3, 3500.75, 2]);
    const byMonth = await workbook((await get('/api/exports/insurance.xlsx?unit=450102&by=month&year=2023')).rawPayload);
    const months = (byMonth.getSheetValues() as unknown[][]).slice(frozenRows(byMonth) + 1).filter(Boolean).map((r) => r.slice(1));
    expect(months).toHaveLength(13);
    expect(months.slice(0, 12)).toEqual(claims.months.map((m) => [m.month, m.paid_count, m.paid_amount]));
    expect(months[12]).toEqual(['合计', 3, 3500.75]);
  });

  it('writes text that looks like a formula as text, never as a formula', async () => {
    const sheet = await workbook(
      await toXlsx({ filename: 'x', title: 't', notes: [], lang: 'en', columns: [{ key: 'a', header: 'a', type: 'text' }], rows: [{ a: '=1+2' }] }),
    );
    const cell = sheet.getCell(`A${frozenRows(sheet) + 1}`);
    expect(cell.value).toBe('=1+2');
    expect(cell.type).toBe(ExcelJS.ValueType.String);
  });
});

describe('scores exports', () => {
  it('rankings: the JSON rows, one column per dimension', async () => {
    const json = await (await get('/api/rankings?set=county47')).json() as RankingsResponse;
    const sheet = await workbook((await get('/api/exports/rankings.xlsx?set=county47')).rawPayload);
    const header = frozenRows(sheet);
    const values = sheet.getRow(header).values as unknown[];
    expect(values.slice(1, 6)).toEqual(['全区排名', '市内排名', '代码', '县（市、区）', '综合得分']);
    expect(values).toContain('作用发挥强（得分）');
    const body = (sheet.getSheetValues() as unknown[][]).slice(header + 1).filter(Boolean).map((r) => r.slice(1));
    expect(body).toHaveLength(json.rows.length);
    for (const [i, r] of json.rows.entries()) expect(body[i].slice(0, 5)).toEqual([r.rank, r.rank_city ?? undefined, r.unit.code, r.unit.name, r.composite]);
    expect(sheet.getCell('A1').value).toBe(`全区县级工会47项指标排名（${json.period} 年初至今）`);
    expect(values.slice(-2)).toEqual(['覆盖指标数', '指标总数']);
    for (const [i, r] of json.rows.entries()) expect(body[i].slice(-2)).toEqual([r.indicators_scored, 47]);
  });

  /** [printed composite, rank] of every row: the XLSX prints its numbers at the column's 0.00 format. */
  const printedRanks = (composites: unknown[], ranks: unknown[]) =>
    composites.map((c, i) => [typeof c === 'number' ? c.toFixed(2) : String(c), Number(ranks[i])] as const);
  /** Units printed with the same composite stand at the same rank, and a rank is 1 + those printed higher. */
  function expectRanksFollowPrinted(rows: (readonly [string, number])[], what: string) {
    expect(rows.length, what).toBeGreaterThan(0);
    for (const [printed, rank] of rows) {
      const higher = rows.filter(([p]) => Number(p) > Number(printed)).length;
      expect(rank, `${what}: composite ${printed}`).toBe(1 + higher);
    }
  }

  // (every set and period of the sample's rankings is checked the same way in scores.test.ts, on the JSON)
  it('rankings XLSX and CSV: no two units printed with the same composite have different ranks, in either set', async () => {
    for (const q of ['set=county47', 'set=reform88']) {
      const sheet = await workbook((await get(`/api/exports/rankings.xlsx?${q}`)).rawPayload);
      const header = frozenRows(sheet);
      const headers = (sheet.getRow(header).values as unknown[]).slice(1);
      const body = (sheet.getSheetValues() as unknown[][]).slice(header + 1).filter(Boolean).map((r) => r.slice(1));
      const [rankAt, compositeAt] = [headers.indexOf('全区排名'), headers.indexOf('综合得分')];
      expect(sheet.getColumn(compositeAt + 1).numFmt).toBe('#,##0.00');
      expectRanksFollowPrinted(printedRanks(body.map((r) => r[compositeAt]), body.map((r) => r[rankAt])), `xlsx ${q}`);

      const csv = csvRows((await get(`/api/exports/rankings.csv?${q}`)).body);
      const [csvRank, csvComposite] = [csv[0].indexOf('全区排名'), csv[0].indexOf('综合得分')];
      const lines = csv.slice(1);
      expectRanksFollowPrinted(printedRanks(lines.map((l) => Number(l[csvComposite])), lines.map((l) => l[csvRank])), `csv ${q}`);
      // and the two files hold the same figures
      expect(lines.map((l) => Number(l[csvComposite]))).toEqual(body.map((r) => r[compositeAt]));
    }
  });

  it('scorecard XLSX says what the composite covers and marks indicators not yet due as 未到期', async () => {
    const card = await json<ScorecardResponse>('/api/units/450102/scorecard');
    const sheet = await workbook((await get('/api/exports/scorecard.xlsx?unit=450102')).rawPayload);
    const notes = (sheet.getSheetValues() as unknown[][]).slice(1, frozenRows(sheet)).filter(Boolean).map((r) => String(r[1]));
    expect(notes.some((n) => n.includes(`综合得分覆盖 ${card.indicators_scored}/47 项指标`) && n.includes(`未到期 ${card.indicators_not_due} 项`))).toBe(true);
    expect(card.indicators_not_due).toBeGreaterThan(0);
    const header = frozenRows(sheet);
    const statusAt = (sheet.getRow(header).values as unknown[]).indexOf('状态');
    const statuses = (sheet.getSheetValues() as unknown[][]).slice(header + 1, header + 48).map((r) => r[statusAt]);
    expect(statuses.filter((s) => s === '未到期')).toHaveLength(card.indicators_not_due);
    expect(statuses.filter((s) => s === '不适用')).toHaveLength(card.indicators_not_applicable);
  });

  it('scorecard: every indicator with its explanation; a county account exports its own only', async () => {
    const county = { cookie: await login(env.app, 'county-450102', 'county-demo') };
    const json = await (await get('/api/units/450102/scorecard', county)).json() as ScorecardResponse;
    const res = await get('/api/exports/scorecard.csv?unit=450102', county);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="scorecard-450102-${json.period}.csv"`);
    const lines = res.body.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines).toHaveLength(1 + 47 + 1);
    expect(lines.slice(1, 48).map((l) => l.split(',')[0])).toEqual(json.indicators.map((i) => i.code));
    expect(res.body).toContain(json.indicators[0].explanation_zh);
    expect((await get('/api/exports/scorecard.csv?unit=450103', county)).statusCode).toBe(403);
    expect((await get('/api/exports/scorecard.csv?unit=450100', county)).statusCode).toBe(403);
    expect((await get('/api/exports/scorecard.csv', county)).statusCode).toBe(400);
    expect((await get('/api/exports/rankings.csv?set=county47', county)).statusCode).toBe(403);
    expect((await get('/api/exports/mediation.csv?unit=450102', county)).statusCode).toBe(403);
  });
});

describe('PDF', () => {
  it.runIf(existsSync(CHROMIUM))('is a PDF rendered by Chromium', async () => {
    const res = await get('/api/exports/mediation.pdf?unit=450000&from=2023-01&to=2023-03');
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it.runIf(existsSync(CHROMIUM))('columns fit their content: no code, dimension or number is cut, in either language', async () => {
    const snapshot = env.app.warehouse.current!;
    const card = await json<ScorecardResponse>('/api/units/450102/scorecard');
    const rankings = await json<RankingsResponse>('/api/rankings?set=county47');
    const reports = [
      await scorecardReport(snapshot, card, 'zh-CN'),
      await scorecardReport(snapshot, card, 'en'),
      await rankingsReport(snapshot, rankings, null, 'en'),
    ];
    const browser = await launch({ width: 1032, height: 730 }); // A4 landscape less the margins, at 96 dpi
    try {
      const page = await browser.context.newPage();
      await page.emulateMedia({ media: 'print' });
      for (const report of reports) {
        const html = toHtml(report, '2026-12-06 08:00');
        expect(html).not.toContain('…');
        expect(html).not.toContain('text-overflow');
        await page.setViewportSize({ width: report.landscape ? 1032 : 703, height: 730 });
        await page.setContent(html, { waitUntil: 'load' });
        // A one-line cell whose text is wider than the cell would be cut or spill into its neighbour.
        const cut = await page.$$eval('td:not(.wrap)', (cells) =>
          cells.filter((c) => c.scrollWidth > c.clientWidth + 1).map((c) => `${c.textContent} (${c.scrollWidth} > ${c.clientWidth})`),
        );
        expect(cut, report.title).toEqual([]);
        const table = await page.$eval('table', (t) => ({ width: t.scrollWidth, page: document.documentElement.clientWidth }));
        expect(table.width, `${report.title}: the table stays on the page`).toBeLessThanOrEqual(table.page);
      }
    } finally {
      await browser.close();
    }
    // The scorecard prints every code and dimension whole.
    const html = toHtml(reports[0], 'now');
    for (const i of card.indicators) {
      expect(html).toContain(`<td>${i.code}</td>`);
      expect(html).toContain(`<td>${i.dimension}</td>`);
    }
  });

  it.runIf(existsSync(CHROMIUM))('a browser that crashed takes its profile with it, and the next PDF starts a new one', async () => {
    expect((await get('/api/exports/mediation.pdf?unit=450000&from=2023-01&to=2023-03')).statusCode).toBe(200);
    // The renderer's browser is a child of this process; its profile is the user data directory it was given.
    const browsers = readdirSync('/proc').filter((pid) => /^\d+$/.test(pid)).flatMap((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        const profile = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').find((a) => a.startsWith('--user-data-dir='));
        return ppid === process.pid && profile?.includes('/uc-pdf-') ? [{ pid: Number(pid), profile: profile.slice('--user-data-dir='.length) }] : [];
      } catch {
        return []; // gone meanwhile
      }
    });
    expect(browsers).toHaveLength(1);
    const [{ pid, profile }] = browsers;
    expect(existsSync(profile)).toBe(true);
    process.kill(pid, 'SIGKILL');
    await expect.poll(() => existsSync(profile), { timeout: 10_000 }).toBe(false);
    expect(env.app.pdf.load.launched).toBe(false);
    const again = await get('/api/exports/mediation.pdf?unit=450000&from=2023-01&to=2023-03');
    expect(again.statusCode, again.body.slice(0, 200)).toBe(200);
    expect(again.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it.skipIf(existsSync(CHROMIUM))(`answers 503 pdf_unavailable (${CHROMIUM} missing: the PDF itself is not tested here)`, async () => {
    const res = await get('/api/exports/mediation.pdf?unit=450000');
    expect(res.statusCode).toBe(503);
    expect(res.json().error.code).toBe('pdf_unavailable');
  });

  it('without a browser: 503 pdf_unavailable saying how to install one', async () => {
    const e = await testEnv({ warehouse: env.warehouse, chromium: '/nonexistent/chromium' });
    try {
      const cookie = await login(e.app, 'analyst', 'analyst-demo');
      const res = await e.app.inject({ url: '/api/exports/mediation.pdf?unit=450000', headers: { cookie } });
      expect(res.statusCode).toBe(503);
      expect(res.json().error).toEqual({
        code: 'pdf_unavailable',
        message: expect.stringContaining('apt-get install -y chromium fonts-noto-cjk'),
      });
      expect((await e.app.inject({ url: '/api/exports/mediation.csv?unit=450000', headers: { cookie } })).statusCode).toBe(200);
    } finally {
      await e.close();
    }
  });
});

describe('who may export, and the audit log', () => {
  it('analysts only (leaders read, they do not export); every export is recorded', async () => {
    const display = createToken(env.app.appDb, 'export-test', 'test').token;
    const others = {
      leader: { cookie: await login(env.app, 'leader', 'leader-demo') },
      county: { cookie: await login(env.app, 'county-450102', 'county-demo') },
      admin: { cookie: await login(env.app, 'admin', 'admin-demo') },
      display: { authorization: `Bearer ${display}` },
    };
    for (const [who, headers] of Object.entries(others)) {
      for (const report of ['mediation', 'insurance']) {
        const res = await get(`/api/exports/${report}.csv?unit=450102`, headers);
        expect(res.statusCode, `${who} ${report}`).toBe(403);
      }
    }
    expect((await get('/api/exports/mediation.csv?unit=450102', {})).statusCode).toBe(401);
    await get('/api/exports/insurance.xlsx?unit=450103&by=month&year=2023');
    const entry = recentAudit(env.app.appDb, 5).find((a) => a.action === 'export');
    expect(entry).toMatchObject({ actor: 'analyst', target: 'insurance-450103-2023-by-month.xlsx' });
    expect(JSON.parse(entry!.detail!)).toMatchObject({ format: 'xlsx', filters: { unit: '450103', by: 'month', year: 2023 }, rows: 12 });
  });

  it('report names are a fixed list: anything else is a 404, a bad format a 400', async () => {
    for (const url of [
      '/api/exports/users.csv?unit=450000',
      '/api/exports/..%2F..%2Fetc%2Fpasswd.csv',
      '/api/exports/../../etc/passwd.csv',
      '/api/exports/mediation.csv/../../app.sqlite',
      '/api/exports/%2e%2e/mediation.csv?unit=450000',
    ]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
    const bad = await get('/api/exports/mediation.exe?unit=450000');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ field: 'format', message: expect.stringContaining('must be one of csv, xlsx, pdf') });
  });

  it('the filters are validated like the JSON endpoint', async () => {
    const res = await get('/api/exports/mediation.csv?unit=450000&from=2023-09&to=2023-07');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('from');
    expect((await get('/api/exports/mediation.csv?unit=459999')).statusCode).toBe(404);
  });
});
