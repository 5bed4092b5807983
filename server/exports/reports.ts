// The exportable reports, built from the same queries as their JSON endpoints, titled and labelled in
// the requested language. Each builder returns a Report; the route renders it.
import type { Snapshot } from '../plugins/warehouse.ts';
import { claimsByMonth, claimsByYear, membersByYear } from '../queries/insurance.ts';
import {
  mediationSuccessRate,
  mediationSuccessRateByCity,
  mediationSuccessRateByCounty,
  mediationSuccessRateByMonth,
} from '../queries/mediation.ts';
import type { UnitRef } from '../schemas/common.ts';
import { t, type Lang, type Report, type Row } from './report.ts';

/** Where the figures come from: unit, snapshot, newest data, catalog. */
function provenance(snapshot: Snapshot, lang: Lang): string {
  const { id, info } = snapshot;
  return t(
    lang,
    `数据快照 ${id}，数据截至 ${info.newest_data ?? '—'}，指标目录 ${info.catalog_version ?? '—'}`,
    `Snapshot ${id}, data to ${info.newest_data ?? '—'}, catalog ${info.catalog_version ?? '—'}`,
  );
}

const unitLine = (unit: UnitRef, lang: Lang) => t(lang, `单位：${unit.name}（${unit.code}）`, `Unit: ${unit.name} (${unit.code})`);

export interface MediationReportParams {
  unit: UnitRef;
  from: string;
  to: string;
  /** month keys */
  fromKey: number;
  toKey: number;
  by: 'month' | 'city' | 'county';
}

export async function mediationReport(snapshot: Snapshot, p: MediationReportParams, lang: Lang): Promise<Report> {
  const range = { unit: p.unit, from: p.fromKey, to: p.toKey };
  const series = { month: mediationSuccessRateByMonth, city: mediationSuccessRateByCity, county: mediationSuccessRateByCounty }[p.by];
  const [total, rows] = await Promise.all([mediationSuccessRate(snapshot.db, range), series(snapshot.db, range)]);
  const keyColumns =
    p.by === 'month'
      ? [{ key: 'name', header: t(lang, '月份', 'Month'), type: 'text' as const }]
      : [
          { key: 'key', header: t(lang, '代码', 'Code'), type: 'text' as const },
          { key: 'name', header: t(lang, p.by === 'city' ? '市' : '县（市、区）', p.by === 'city' ? 'City' : 'County'), type: 'text' as const },
        ];
  return {
    filename: `mediation-${p.unit.code}-${p.from}-${p.to}-by-${p.by}`,
    title: t(lang, `${p.unit.name}劳动争议调解成功率（${p.from} 至 ${p.to}）`, `Labour-dispute mediation success rate, ${p.unit.name}, ${p.from} to ${p.to}`),
    notes: [
      unitLine(p.unit, lang),
      t(lang, '成功率 = 调解成功 ÷（调解成功 + 调解不成功），按结案月份；撤回和在办案件不计入', 'Rate = success / (success + failed) of cases closed in the months; withdrawn and pending cases are not counted'),
      provenance(snapshot, lang),
    ],
    columns: [
      ...keyColumns,
      { key: 'success', header: t(lang, '调解成功（件）', 'Successful'), type: 'integer' },
      { key: 'failed', header: t(lang, '调解不成功（件）', 'Failed'), type: 'integer' },
      { key: 'rate', header: t(lang, '成功率（%）', 'Success rate (%)'), type: 'percent' },
    ],
    rows: rows as unknown as Row[],
    totals: [{ key: null, name: t(lang, '合计', 'Total'), ...total }],
    lang,
  };
}

export interface InsuranceReportParams {
  unit: UnitRef;
  by: 'year' | 'month';
  /** for by=month */
  year: number | null;
}

export async function insuranceReport(snapshot: Snapshot, p: InsuranceReportParams, lang: Lang): Promise<Report> {
  const { db } = snapshot;
  const notes = [unitLine(p.unit, lang)];
  if (p.by === 'month') {
    const months = p.year === null ? [] : await claimsByMonth(db, p.unit, p.year);
    const sum = (k: 'paid_count' | 'paid_amount') => Math.round(months.reduce((s, m) => s + m[k], 0) * 100) / 100;
    return {
      filename: `insurance-${p.unit.code}-${p.year ?? 'none'}-by-month`,
      title: t(lang, `${p.unit.name}职工医疗互助补助支付（${p.year ?? '—'}年，按月）`, `Mutual-aid claims paid, ${p.unit.name}, ${p.year ?? '—'}, by month`),
      notes: [...notes, t(lang, '按支付月份统计已支付的补助', 'Paid claims by month of payment'), provenance(snapshot, lang)],
      columns: [
        { key: 'month', header: t(lang, '月份', 'Month'), type: 'text' },
        { key: 'paid_count', header: t(lang, '补助笔数', 'Claims paid'), type: 'integer' },
        { key: 'paid_amount', header: t(lang, '补助金额（元）', 'Amount paid (yuan)'), type: 'yuan' },
      ],
      rows: months as unknown as Row[],
      totals: [{ month: t(lang, '合计', 'Total'), paid_count: sum('paid_count'), paid_amount: sum('paid_amount') }],
      lang,
    };
  }
  const [members, claims] = await Promise.all([membersByYear(db, p.unit), claimsByYear(db, p.unit)]);
  const years = [...new Set([...members.map((m) => m.year), ...claims.map((c) => c.year)])].sort();
  const rows: Row[] = years.map((year) => {
    const m = members.find((x) => x.year === year);
    const c = claims.find((x) => x.year === year);
    return {
      year: String(year),
      members: m?.members ?? null,
      growth: m?.growth ?? null,
      paid_count: c?.paid_count ?? 0,
      paid_amount: c?.paid_amount ?? 0,
      beneficiaries: c?.beneficiaries ?? 0,
      days_to_pay_mean: c?.days_to_pay_mean ?? null,
      days_to_pay_median: c?.days_to_pay_median ?? null,
    };
  });
  return {
    filename: `insurance-${p.unit.code}-by-year`,
    title: t(lang, `${p.unit.name}职工医疗互助保障（按年度）`, `Medical mutual aid, ${p.unit.name}, by year`),
    notes: [
      ...notes,
      t(lang, '会员：参保年度内参保的不重复职工；补助按支付年度；受益职工为不重复人数', 'Members: distinct members enrolled in the plan year; claims by year of payment; beneficiaries are distinct members paid'),
      provenance(snapshot, lang),
    ],
    columns: [
      { key: 'year', header: t(lang, '年度', 'Year'), type: 'text' },
      { key: 'members', header: t(lang, '互助会员（人）', 'Members'), type: 'integer' },
      { key: 'growth', header: t(lang, '会员增长率（%）', 'Member growth (%)'), type: 'percent' },
      { key: 'paid_count', header: t(lang, '补助笔数', 'Claims paid'), type: 'integer' },
      { key: 'paid_amount', header: t(lang, '补助金额（元）', 'Amount paid (yuan)'), type: 'yuan' },
      { key: 'beneficiaries', header: t(lang, '受益职工（人）', 'Beneficiaries'), type: 'integer' },
      { key: 'days_to_pay_mean', header: t(lang, '平均支付天数', 'Mean days to pay'), type: 'decimal1' },
      { key: 'days_to_pay_median', header: t(lang, '支付天数中位数', 'Median days to pay'), type: 'decimal1' },
    ],
    rows,
    lang,
  };
}
