// Every rule of DATA-CONTRACT.md with a good row and a bad row: the bad row is rejected naming the
// file's line and column with a reason, and the good rows of the same file load.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { streams, type StreamName } from '../../core/contract.ts';
import { loadFiles, type FileSummary } from '../../etl/load.ts';
import { tempDir, writeCsv } from '../helpers/tmp.ts';

const good: Record<StreamName, Record<string, string>> = {
  mediation: {
    case_id: 'M-1', county_code: '450102', received_date: '2023-07-01', closed_date: '2023-07-10', dispute_type: 'wages',
    channel: 'union', outcome: 'success', workers: '3', amount_yuan: '12345.60',
  },
  insurance_enrolment: {
    member_id: 'P-1', county_code: '450102', plan_year: '2023', plan: 'inpatient', enrolled_date: '2023-01-05', contribution_yuan: '50',
  },
  insurance_claim: {
    claim_id: 'C-1', member_id: 'P-1', county_code: '450102', plan_year: '2023', submitted_date: '2023-03-01',
    paid_date: '2023-03-08', amount_yuan: '1200', status: 'paid',
  },
  assistance: {
    case_id: 'A-1', county_code: '450102', opened_date: '2023-02-01', level: 'deep', cause: 'illness', channel: 'referral',
    aid_yuan: '3000', status: 'resolved', closed_date: '2023-09-01',
  },
  training: {
    record_id: 'T-1', county_code: '450102', person_id: 'P-9', kind: 'training', program: '电工', date: '2023-05-05',
    skill_level: 'senior', certified: 'yes',
  },
  funding: {
    grant_id: 'G-1', recipient_code: '450100', program: 'county_strengthening', source: 'regional_federation',
    amount_yuan: '100000', disbursed_date: '2023-04-01',
  },
  indicator_value: { indicator_code: 'C04', unit_code: '450102', period: '2023', value: '95%' },
};

// [stream, column, bad value, a fragment of the reason]
const badValues: [StreamName, string, string, string][] = [
  ['mediation', 'case_id', '', 'required value is missing'],
  ['mediation', 'county_code', '450100', 'not one of the 111 county codes'],
  ['mediation', 'county_code', '4501O2', 'not one of the 111 county codes'],
  ['mediation', 'received_date', '2023-02-30', 'no such day in the calendar'],
  ['mediation', 'received_date', '2023年2月29日', 'no such day in the calendar'],
  ['mediation', 'received_date', '2099-01-01', 'in the future'],
  ['mediation', 'received_date', '2023-07-01x', 'not a date'],
  ['mediation', 'received_date', '7/1/2023', 'not a date'],
  ['mediation', 'dispute_type', '工资', 'not one of: 劳动报酬 wages'],
  ['mediation', 'channel', 'police', 'not one of: 法院 court'],
  ['mediation', 'outcome', 'ok', 'not one of: 成功 success'],
  ['mediation', 'workers', '0', 'whole number from 1'],
  ['mediation', 'workers', '2.5', 'whole number from 1'],
  ['mediation', 'amount_yuan', '-1', 'negative amount'],
  ['mediation', 'amount_yuan', '12.345', 'more than 2 decimals'],
  ['mediation', 'amount_yuan', '1,23', 'not an amount'],
  ['insurance_enrolment', 'plan_year', '2014', 'whole number from 2015 to 2100'],
  ['insurance_enrolment', 'plan', 'dental', 'not one of: 住院 inpatient'],
  ['insurance_enrolment', 'contribution_yuan', '', 'required value is missing'],
  ['insurance_claim', 'status', 'approved', 'not one of: 已支付 paid'],
  ['insurance_claim', 'amount_yuan', 'abc', 'not an amount'],
  ['assistance', 'level', 'poor', 'not one of: 深度困难 deep'],
  ['assistance', 'cause', 'x', 'not one of: 疾病 illness'],
  ['assistance', 'channel', 'x', 'not one of: 工会受理 union'],
  ['assistance', 'status', 'x', 'not one of: 在档 active'],
  ['training', 'kind', 'x', 'not one of: 培训 training'],
  ['training', 'skill_level', 'master', 'not one of: 学徒工 apprentice'],
  ['training', 'certified', 'maybe', 'not yes or no'],
  ['training', 'program', 'x'.repeat(201), 'longer than 200 characters'],
  ['funding', 'recipient_code', '440100', 'not a county or city code'],
  ['funding', 'program', 'x', 'not one of: 县级工会加强年 county_strengthening'],
  ['funding', 'source', 'x', 'not one of: 全国总工会 acftu'],
  ['funding', 'amount_yuan', '0', 'greater than 0'],
  ['indicator_value', 'indicator_code', 'C99', 'not an indicator code'],
  ['indicator_value', 'indicator_code', 'C40', 'computed from records'],
  ['indicator_value', 'period', '2023-13', 'not a period'],
  ['indicator_value', 'period', '2023-Q2', 'does not fit the indicator'],
  ['indicator_value', 'unit_code', '450100', 'county indicators are reported by counties'],
  ['indicator_value', 'value', 'n/a', 'not a number'],
  // Wording that is not on the contract's synonym list stays refused: the office must choose a value.
  ['mediation', 'outcome', '结案', 'not one of: 成功 success'],
  ['mediation', 'outcome', '调解', 'not one of: 成功 success'],
  ['insurance_claim', 'status', '已审核', 'not one of: 已支付 paid'],
  // Full-width forms are folded, but the folded value must still be valid.
  ['mediation', 'workers', '０', 'whole number from 1'],
  ['mediation', 'amount_yuan', '１２．３４５', 'more than 2 decimals'],
  ['insurance_claim', 'amount_yuan', '１ ２００', 'not an amount'],
];

// [stream, changes making a row break a cross-column rule, the column named, a fragment of the reason]
const badRows: [StreamName, Record<string, string>, string, string][] = [
  ['mediation', { closed_date: '2023-06-30' }, 'closed_date', 'before received_date'],
  ['mediation', { outcome: 'pending' }, 'closed_date', 'pending case must not have a closed_date'],
  ['mediation', { closed_date: '' }, 'closed_date', 'needs a closed_date'],
  ['insurance_claim', { paid_date: '' }, 'paid_date', 'paid claim needs a paid_date'],
  ['insurance_claim', { paid_date: '2023-02-01' }, 'paid_date', 'before submitted_date'],
  ['assistance', { closed_date: '' }, 'closed_date', 'needs a closed_date'],
  ['assistance', { closed_date: '2023-01-01' }, 'closed_date', 'before opened_date'],
];

// Values that must be accepted in every form the contract lists.
const goodVariants: [StreamName, Record<string, string>][] = [
  ['mediation', { received_date: '2023/7/1', closed_date: '2023.7.10', amount_yuan: '12,345.60', dispute_type: '劳动报酬', outcome: '成功' }],
  ['mediation', { received_date: '2023年7月1日', closed_date: '', outcome: 'pending', amount_yuan: '' }],
  ['training', { skill_level: '', certified: '否' }],
  ['training', { certified: 'TRUE', kind: '技能认定' }],
  ['insurance_claim', { status: 'pending', paid_date: '' }],
  ['assistance', { status: 'active', closed_date: '' }],
  ['funding', { recipient_code: '450102', program: '服务职工综合体', source: '市总配套' }],
  ['indicator_value', { indicator_code: 'c18', value: '是' }],
  ['indicator_value', { indicator_code: 'C03', period: '2023q2', value: '2' }],
  // The synonyms docs/data-contract.md lists.
  ['mediation', { outcome: '已调解成功' }],
  ['mediation', { outcome: '调解成功' }],
  ['mediation', { outcome: '调解失败' }],
  ['mediation', { outcome: '已撤回' }],
  ['mediation', { outcome: '调解中', closed_date: '' }],
  ['mediation', { outcome: '未结案', closed_date: '' }],
  ['insurance_claim', { status: '已发放' }],
  ['insurance_claim', { status: '待审核', paid_date: '' }],
  // Full-width digits, punctuation and spaces as Chinese input methods type them.
  ['mediation', { county_code: '４５０１０２', received_date: '２０２３－０７－０１', workers: '１２', amount_yuan: '１２，３４５．６０' }],
  ['mediation', { received_date: '２０２３年７月１日', closed_date: '2023／7／10', amount_yuan: '\u3000１００\u3000' }],
  ['training', { certified: 'ｙｅｓ', date: '２０２３．５．５' }],
  ['indicator_value', { indicator_code: 'Ｃ０４', value: '９５％' }],
  // Spaces and tabs around values of every kind (the first pass types them as sent and fails; the second cleans them).
  ['insurance_claim', { county_code: ' 450102 ', plan_year: ' 2023', submitted_date: '2023-03-01 ', paid_date: '\t2023-03-08', amount_yuan: ' 1,200.00 ', status: ' paid ' }],
  ['training', { program: ' 电工 ', skill_level: '   ', certified: ' 否 ', kind: 'training\t' }],
  ['indicator_value', { indicator_code: ' C04', period: '2023 ', value: ' 95% ' }],
];

interface Case {
  stream: StreamName;
  row: Record<string, string>;
  expect: { column: string; reason: string } | null;
}

const cases: Case[] = [
  ...badValues.map(([stream, column, value, reason]) => ({ stream, row: { ...good[stream], [column]: value }, expect: { column, reason } })),
  ...badRows.map(([stream, changes, column, reason]) => ({ stream, row: { ...good[stream], ...changes }, expect: { column, reason } })),
  ...goodVariants.map(([stream, changes]) => ({ stream, row: { ...good[stream], ...changes }, expect: null })),
];

const otherCounties = ['450103', '450105', '450107', '450108', '450109', '450110', '450123', '450124', '450125', '450126'];

function withOwnKey(stream: StreamName, c: Case, i: number): Record<string, string> {
  if (stream !== 'indicator_value') {
    const key = streams[stream].key[0];
    return c.row[key] ? { ...c.row, [key]: `${c.row[key]}-${i}` } : c.row;
  }
  // indicator_value is keyed by code + unit + period: move the case to a county of its own.
  return c.row.unit_code === good.indicator_value.unit_code ? { ...c.row, unit_code: otherCounties[i] } : c.row;
}

describe('contract rules, row by row', () => {
  const byStream = new Map<StreamName, FileSummary>();
  const lineOf = new Map<Case, number>();

  beforeAll(async () => {
    const dir = await tempDir();
    const inputs: string[] = [];
    for (const stream of Object.keys(good) as StreamName[]) {
      const columns = streams[stream].columns.map((c) => c.name);
      const mine = cases.filter((c) => c.stream === stream);
      // Line 2 is the good row, then one line per case, each with its own key so duplicates do not interfere.
      const rows = [good[stream], ...mine.map((c, i) => withOwnKey(stream, c, i))];
      mine.forEach((c, i) => lineOf.set(c, i + 3));
      inputs.push(await writeCsv(path.join(dir, `${stream}.csv`), columns, rows.map((r) => columns.map((c) => r[c] ?? ''))));
    }
    const summary = await loadFiles({ warehouse: path.join(dir, 'wh.duckdb'), inputs });
    for (const f of summary.files) byStream.set(f.stream, f);
  });

  it.each(cases.map((c) => [`${c.stream}: ${c.expect ? `${c.expect.column} -> ${c.expect.reason}` : JSON.stringify(c.row).slice(0, 80)}`, c] as const))(
    '%s',
    (_name, c) => {
      const file = byStream.get(c.stream)!;
      const line = lineOf.get(c)!;
      const rejects = file.rejects.filter((r) => r.line === line);
      if (c.expect === null) {
        expect(rejects).toEqual([]);
      } else {
        expect(rejects.map((r) => r.column)).toContain(c.expect.column);
        expect(rejects.find((r) => r.column === c.expect!.column)!.reason).toContain(c.expect.reason);
      }
    },
  );

  it('loads the good row of every file and rejects exactly the bad ones', () => {
    for (const [stream, file] of byStream) {
      const mine = cases.filter((c) => c.stream === stream);
      expect(file.accepted, stream).toBe(1 + mine.filter((c) => c.expect === null).length);
      expect(file.rejected, stream).toBe(mine.filter((c) => c.expect !== null).length);
    }
  });
});

describe('a row with several problems lists them all at once', () => {
  const columns = streams.mediation.columns.map((c) => c.name);
  const rows: Record<string, string>[] = [
    // line 2: a refused value and a broken cross-column rule
    { ...good.mediation, case_id: 'M-2', workers: '0', closed_date: '2023-06-30' },
    // line 3: a refused closed_date is reported once, as refused, not also as missing
    { ...good.mediation, case_id: 'M-3', closed_date: '2023-07-99' },
    // line 4: a refused received_date leaves nothing to compare the closing date with
    { ...good.mediation, case_id: 'M-4', received_date: '7/1/2023' },
  ];
  let file: FileSummary;

  beforeAll(async () => {
    const dir = await tempDir();
    const input = await writeCsv(path.join(dir, 'mediation.csv'), columns, rows.map((r) => columns.map((c) => r[c] ?? '')));
    file = (await loadFiles({ warehouse: path.join(dir, 'wh.duckdb'), inputs: [input] })).files[0];
  });

  const at = (line: number) => file.rejects.filter((r) => r.line === line).map((r) => [r.column, r.reason]);

  it('a refused value and a broken rule on one row: both, in one upload', () => {
    expect(at(2)).toEqual([
      ['workers', expect.stringContaining('whole number from 1')],
      ['closed_date', expect.stringContaining('before received_date')],
    ]);
  });

  it('a rule is not judged on a value that was refused', () => {
    expect(at(3)).toEqual([['closed_date', expect.stringContaining('no such day in the calendar')]]);
    expect(at(4)).toEqual([['received_date', expect.stringContaining('not a date')]]);
    expect(file.rejected).toBe(3);
  });
});
