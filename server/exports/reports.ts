// The exportable reports, built from the same queries as their JSON endpoints, titled and labelled in
// the requested language. Each builder returns a Report; the route renders it.
import { formatScore } from '../../core/format.ts';
import type { Snapshot } from '../plugins/warehouse.ts';
import { claimsByMonth, claimsByYear, claimsTotals, membersByYear } from '../queries/insurance.ts';
import type { UnitRef } from '../schemas/common.ts';
import type { SuccessRateBody } from '../services/mediation.ts';
import type { RankingsResponse, ScorecardResponse } from '../schemas/scores.ts';
import { coverageText, periodName } from '../text/scorecard.ts';
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

/** A unit under its name in the report's language: the official English name when English is asked for. */
const nameIn = (unit: { name: string; name_en: string }, lang: Lang) => (lang === 'en' ? unit.name_en : unit.name);

const unitLine = (unit: UnitRef, lang: Lang) => t(lang, `单位：${unit.name}（${unit.code}）`, `Unit: ${unit.name_en} (${unit.code})`);

/** The success rate of `successRateBody` (services/mediation.ts), its series by `by`, as a report. */
export function mediationReport(snapshot: Snapshot, p: SuccessRateBody, by: 'month' | 'city' | 'county', lang: Lang): Report {
  const rows = p.series ?? [];
  const keyColumns =
    by === 'month'
      ? [{ key: 'name', header: t(lang, '月份', 'Month'), type: 'text' as const }]
      : [
          { key: 'key', header: t(lang, '代码', 'Code'), type: 'text' as const },
          { key: 'name', header: t(lang, by === 'city' ? '市' : '县（市、区）', by === 'city' ? 'City' : 'County'), type: 'text' as const },
        ];
  return {
    filename: `mediation-${p.unit.code}-${p.from}-${p.to}-by-${by}`,
    title: t(lang, `${p.unit.name}劳动争议调解成功率（${p.from} 至 ${p.to}）`, `Labour-dispute mediation success rate, ${p.unit.name_en}, ${p.from} to ${p.to}`),
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
    rows: rows.map(({ name_en, ...r }) => ({ ...r, name: nameIn({ name: r.name, name_en }, lang) })) as unknown as Row[],
    totals: [{ key: null, name: t(lang, '合计', 'Total'), success: p.success, failed: p.failed, rate: p.rate }],
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
    const [months, total] = p.year === null ? [[], null] : await Promise.all([claimsByMonth(db, p.unit, p.year), claimsTotals(db, p.unit, p.year)]);
    return {
      filename: `insurance-${p.unit.code}-${p.year ?? 'none'}-by-month`,
      title: t(lang, `${p.unit.name}职工医疗互助补助支付（${p.year ?? '—'}年，按月）`, `Mutual-aid claims paid, ${p.unit.name_en}, ${p.year ?? '—'}, by month`),
      notes: [...notes, t(lang, '按支付月份统计已支付的补助', 'Paid claims by month of payment'), provenance(snapshot, lang)],
      columns: [
        { key: 'month', header: t(lang, '月份', 'Month'), type: 'text' },
        { key: 'paid_count', header: t(lang, '补助笔数', 'Claims paid'), type: 'integer' },
        { key: 'paid_amount', header: t(lang, '补助金额（元）', 'Amount paid (yuan)'), type: 'yuan' },
      ],
      rows: months as unknown as Row[],
      totals: [{ month: t(lang, '合计', 'Total'), paid_count: total?.paid_count ?? 0, paid_amount: total?.paid_amount ?? 0 }],
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
    title: t(lang, `${p.unit.name}职工医疗互助保障（按年度）`, `Medical mutual aid, ${p.unit.name_en}, by year`),
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

// ---- Scores ----

const STATUS: Record<string, [string, string]> = {
  met: ['达标', 'met'],
  not_met: ['未达标', 'not met'],
  missing: ['缺失', 'missing'],
  not_due: ['未到期', 'not due'],
  not_applicable: ['不适用', 'n/a'],
};
const UNIT_LABEL: Record<string, [string, string]> = {
  count: ['', ''],
  percent: ['%', '%'],
  yuan: ['元', 'yuan'],
  days: ['天', 'days'],
  boolean: ['是/否', 'yes/no'],
  ratio: ['', ''],
};

type PeriodOf = { period: string; period_scope: string; period_start: string; period_end: string };
const periodLine = (p: PeriodOf, lang: Lang) =>
  t(lang, `考核期：${periodName(p, lang)}（${p.period_start} 至 ${p.period_end}）`, `Period: ${periodName(p, lang)} (${p.period_start} to ${p.period_end})`);

export async function rankingsReport(
  snapshot: Snapshot,
  data: RankingsResponse,
  city: UnitRef | null,
  lang: Lang,
): Promise<Report> {
  const county = data.set === 'county47';
  const dims = data.rows[0]?.dimensions ?? [];
  const scope = city ? nameIn(city, lang) : t(lang, '全区', 'Guangxi');
  const what = county ? t(lang, '县级工会47项指标', 'county union indicators (47)') : t(lang, '产业工人队伍建设改革88项指标', 'industrial-workforce reform indicators (88)');
  return {
    filename: `rankings-${data.set}-${data.period}${data.city ? `-${data.city}` : ''}`,
    title: t(lang, `${scope}${what}排名（${periodName(data, lang)}）`, `Rankings, ${what}, ${scope}, ${periodName(data, lang)}`),
    notes: [
      periodLine(data, lang),
      t(
        lang,
        `综合得分满分100，保留两位小数；得分相同名次并列，按1、2、2、4排列；名次变化与${data.previous_period ?? '上期'}相比，正数为上升`,
        `Composite out of 100, two decimals; equal composites share a rank (1, 2, 2, 4); rank change against ${data.previous_period ?? 'the previous period'}, positive = up`,
      ),
      t(
        lang,
        '综合得分只计已到期、适用的指标：“覆盖指标数”为计入综合得分的指标，其余未到期或不适用',
        'A composite counts only the indicators due and applicable: "Indicators covered" are those in it; the rest are not yet due or not applicable',
      ),
      ...(data.province_composite === null ? [] : [t(lang, `全区综合得分：${formatScore(data.province_composite)}`, `Province composite: ${formatScore(data.province_composite)}`)]),
      provenance(snapshot, lang),
    ],
    columns: [
      { key: 'rank', header: t(lang, '全区排名', 'Rank'), type: 'integer' },
      ...(county ? [{ key: 'rank_city', header: t(lang, '市内排名', 'Rank in city'), type: 'integer' as const }] : []),
      { key: 'code', header: t(lang, '代码', 'Code'), type: 'text' },
      { key: 'name', header: t(lang, county ? '县（市、区）' : '市', county ? 'County' : 'City'), type: 'text' },
      { key: 'composite', header: t(lang, '综合得分', 'Composite'), type: 'decimal2' },
      { key: 'previous_rank', header: t(lang, '上期排名', 'Previous rank'), type: 'integer' },
      { key: 'rank_change', header: t(lang, '名次变化', 'Change'), type: 'integer' },
      ...dims.map((d) => ({ key: `dim_${d.order}`, header: t(lang, `${d.dimension}（得分）`, `${d.dimension_en} (points)`), type: 'decimal2' as const })),
      // Two numbers, not '11/15': Excel would open that as a date.
      { key: 'met', header: t(lang, '达标指标数', 'Indicators met'), type: 'integer' },
      { key: 'scored', header: t(lang, '覆盖指标数', 'Indicators covered'), type: 'integer' },
      { key: 'total', header: t(lang, '指标总数', 'Indicators in set'), type: 'integer' },
    ],
    rows: data.rows.map((r) => ({
      rank: r.rank,
      rank_city: r.rank_city,
      code: r.unit.code,
      name: nameIn(r.unit, lang),
      composite: r.composite,
      previous_rank: r.previous_rank,
      rank_change: r.rank_change,
      ...Object.fromEntries(r.dimensions.map((d) => [`dim_${d.order}`, d.points])),
      met: r.indicators_met,
      scored: r.indicators_scored,
      total: r.indicators_total,
    })),
    lang,
    landscape: true,
  };
}

export async function scorecardReport(snapshot: Snapshot, card: ScorecardResponse, lang: Lang): Promise<Report> {
  const en = lang === 'en';
  const rank = card.rank
    ? t(
        lang,
        `全区排名 ${card.rank.province}/${card.rank.province_of}${card.rank.city ? `，市内排名 ${card.rank.city}/${card.rank.city_of}` : ''}`,
        `rank ${card.rank.province} of ${card.rank.province_of}${card.rank.city ? `, ${card.rank.city} of ${card.rank.city_of} in its city` : ''}`,
      )
    : t(lang, '全区不参与排名', 'the province is not ranked');
  const composite = formatScore(card.composite);
  return {
    filename: `scorecard-${card.unit.code}-${card.period}`,
    title: t(lang, `${card.unit.name}指标考核明细（${periodName(card, lang)}）`, `Scorecard, ${card.unit.name_en}, ${periodName(card, lang)}`),
    notes: [
      unitLine(card.unit, lang),
      periodLine(card, lang),
      t(
        lang,
        `综合得分 ${composite}，${rank}；${coverageText(card.indicators_scored, card.indicators_total, lang)}：达标 ${card.indicators_met} 项、未达标 ${card.indicators_not_met} 项、缺失 ${card.indicators_missing} 项；未到期 ${card.indicators_not_due} 项、不适用 ${card.indicators_not_applicable} 项`,
        `Composite ${composite}, ${rank}; ${coverageText(card.indicators_scored, card.indicators_total, lang)}: ${card.indicators_met} met, ${card.indicators_not_met} not met, ${card.indicators_missing} missing; ${card.indicators_not_due} not yet due, ${card.indicators_not_applicable} not applicable`,
      ),
      ...card.data_quality.notes.slice(0, 5).map((n) => (en ? n.message_en : n.message_zh)),
      provenance(snapshot, lang),
    ],
    columns: [
      { key: 'code', header: t(lang, '编码', 'Code'), type: 'text' },
      { key: 'name', header: t(lang, '指标', 'Indicator'), type: 'text', width: 40, wrap: true },
      { key: 'dimension', header: t(lang, '维度', 'Dimension'), type: 'text' },
      { key: 'value', header: t(lang, '实际值', 'Value'), type: 'decimal2' },
      { key: 'unit', header: t(lang, '单位', 'Unit'), type: 'text', width: 7 },
      { key: 'target', header: t(lang, '目标', 'Target'), type: 'text' },
      { key: 'attainment', header: t(lang, '完成度（%）', 'Attainment (%)'), type: 'decimal1' },
      { key: 'weight', header: t(lang, '权重（折算后）', 'Weight (rescaled)'), type: 'decimal2' },
      { key: 'points', header: t(lang, '得分', 'Points'), type: 'decimal2' },
      { key: 'points_lost', header: t(lang, '失分', 'Points lost'), type: 'decimal2' },
      { key: 'status', header: t(lang, '状态', 'Status'), type: 'text' },
      { key: 'projection', header: t(lang, '全年预计', 'Year-end projection'), type: 'decimal2' },
      { key: 'explanation', header: t(lang, '说明', 'Explanation'), type: 'text', width: 60, wrap: true },
    ],
    rows: card.indicators.map((i) => ({
      code: i.code,
      name: en ? i.name_en : i.name_zh,
      dimension: en ? i.dimension_en : i.dimension,
      value: i.value,
      unit: UNIT_LABEL[i.unit][en ? 1 : 0],
      target: i.target_text,
      attainment: i.attainment,
      weight: i.weight_effective,
      points: i.points,
      points_lost: i.points_lost,
      status: STATUS[i.status][en ? 1 : 0],
      projection: i.projection?.value ?? null,
      explanation: en ? i.explanation_en : i.explanation_zh,
    })),
    totals: [{ code: null, name: t(lang, '合计', 'Total'), points: card.composite, points_lost: card.points_lost }],
    lang,
    landscape: true,
  };
}
