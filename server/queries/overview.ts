// The headline figures of GET /api/overview, read from the marts (and, for the two figures the marts
// cannot give for part of a year, from small fact scans): each figure for three windows at once, the
// period's, the previous month's and the same window a year earlier. Targets come from the catalog
// copy in the snapshot (dim_indicator, dim_indicator_target).
import { sql, type RawBuilder } from 'kysely';
import { setOfLevel } from '../../core/set-level.ts';
import type { UnitRef } from '../schemas/common.ts';
import type { Kpi, KpiKey } from '../schemas/overview.ts';
import { membersByYear } from './insurance.ts';
import { countyInUnit } from './units.ts';
import type { WarehouseDb } from './warehouse.ts';

/** Inclusive keys: months as year*100+month, quarters as year*10+quarter. Empty when from > to. */
export interface Window {
  from: number;
  to: number;
}

/** January to the month. */
export const monthsToDate = (year: number, month: number): Window => ({ from: year * 100 + 1, to: year * 100 + month });

/** January to the end of the last quarter complete by the end of the month (empty in January and February). */
export const quartersToDate = (year: number, month: number): Window => ({ from: year * 10 + 1, to: year * 10 + Math.floor(month / 3) });

export const isEmpty = (w: Window) => w.from > w.to;

/** 202307 -> '2023-07'; 20233 -> '2023-09' (the quarter's last month) */
export const monthOfKey = (key: number) => `${Math.floor(key / 100)}-${String(key % 100).padStart(2, '0')}`;
export const lastMonthOfQuarterKey = (key: number) => `${Math.floor(key / 10)}-${String((key % 10) * 3).padStart(2, '0')}`;
export const firstMonthOfQuarterKey = (key: number) => `${Math.floor(key / 10)}-${String((key % 10) * 3 - 2).padStart(2, '0')}`;

/** The first and last day of a month window, as ISO dates for fact scans. */
function dates(w: Window): [string, string] {
  const [fy, fm] = [Math.floor(w.from / 100), w.from % 100];
  const [ty, tm] = [Math.floor(w.to / 100), w.to % 100];
  const last = new Date(Date.UTC(ty, tm, 0)).getUTCDate();
  return [`${fy}-${String(fm).padStart(2, '0')}-01`, `${ty}-${String(tm).padStart(2, '0')}-${last}`];
}

const within = (key: RawBuilder<unknown>, w: Window) => sql`${key} BETWEEN ${w.from} AND ${w.to}`;

/** Per window: cases closed successfully, and the success rate (the formula of queries/mediation.ts). */
export async function mediationByWindow(db: WarehouseDb, unit: UnitRef, windows: Window[]): Promise<{ success: number; rate: number | null }[]> {
  const row = await db
    .selectFrom('mart_mediation_county_month as m')
    .innerJoin('dim_county as c', 'c.county_code', 'm.county_code')
    .where(countyInUnit(unit))
    .select(
      windows.flatMap((w, i) => {
        const inW = within(sql`m.month_key`, w);
        const s = sql`coalesce(sum(m.success) FILTER (WHERE ${inW}), 0)`;
        const f = sql`coalesce(sum(m.failed) FILTER (WHERE ${inW}), 0)`;
        return [
          sql<number>`${s}::INTEGER`.as(`success_${i}`),
          sql<number | null>`CASE WHEN ${s} + ${f} > 0 THEN round(100.0 * ${s} / (${s} + ${f}), 2)::DOUBLE END`.as(`rate_${i}`),
        ];
      }),
    )
    .executeTakeFirstOrThrow();
  const r = row as Record<string, number | null>;
  return windows.map((_, i) => ({ success: r[`success_${i}`] as number, rate: r[`rate_${i}`] }));
}

/** Per window: amount of mutual-aid claims paid (by month of payment), yuan with two decimals. */
export async function claimsPaidByWindow(db: WarehouseDb, unit: UnitRef, windows: Window[]): Promise<number[]> {
  const row = await db
    .selectFrom('mart_claims_county_month as m')
    .innerJoin('dim_county as c', 'c.county_code', 'm.county_code')
    .where(countyInUnit(unit))
    .select(windows.map((w, i) => sql<number>`coalesce(round(sum(m.paid_amount) FILTER (WHERE ${within(sql`m.month_key`, w)}), 2), 0)::DOUBLE`.as(`v${i}`)))
    .executeTakeFirstOrThrow();
  return windows.map((_, i) => (row as Record<string, number>)[`v${i}`]);
}

/**
 * Per window: distinct members paid a claim. Distinct people are not additive across months, so this
 * one figure scans the claims themselves (about 25 ms for the province at scale 1; cached per snapshot).
 */
export async function beneficiariesByWindow(db: WarehouseDb, unit: UnitRef, windows: Window[]): Promise<number[]> {
  const live = windows.filter((w) => !isEmpty(w));
  if (!live.length) return windows.map(() => 0);
  const [lo, hi] = dates({ from: Math.min(...live.map((w) => w.from)), to: Math.max(...live.map((w) => w.to)) });
  const row = await db
    .selectFrom('fact_insurance_claim as f')
    .innerJoin('dim_county as c', 'c.county_code', 'f.county_code')
    .where('f.status', '=', 'paid')
    .where(sql<boolean>`f.paid_date BETWEEN ${lo}::DATE AND ${hi}::DATE`)
    .where(countyInUnit(unit))
    .select(
      windows.map((w, i) => {
        if (isEmpty(w)) return sql<number>`0`.as(`v${i}`);
        const [a, b] = dates(w);
        return sql<number>`(count(DISTINCT f.member_id) FILTER (WHERE f.paid_date BETWEEN ${a}::DATE AND ${b}::DATE))::INTEGER`.as(`v${i}`);
      }),
    )
    .executeTakeFirstOrThrow();
  return windows.map((_, i) => (row as Record<string, number>)[`v${i}`]);
}

/** Per quarter window: hardship cases resolved (by the quarter they closed in). */
export async function hardshipResolvedByWindow(db: WarehouseDb, unit: UnitRef, windows: Window[]): Promise<(number | null)[]> {
  const row = await db
    .selectFrom('mart_assistance_county_quarter as m')
    .innerJoin('dim_county as c', 'c.county_code', 'm.county_code')
    .where(countyInUnit(unit))
    .select(windows.map((w, i) => sql<number>`coalesce(sum(m.resolved) FILTER (WHERE ${within(sql`m.quarter_key`, w)}), 0)::INTEGER`.as(`v${i}`)))
    .executeTakeFirstOrThrow();
  return windows.map((w, i) => (isEmpty(w) ? null : (row as Record<string, number>)[`v${i}`]));
}

/** Per quarter window: skills-training participations (人次) and skill certificates issued. */
export async function trainingByWindow(db: WarehouseDb, unit: UnitRef, windows: Window[]): Promise<{ trained: number | null; certified: number | null }[]> {
  const row = await db
    .selectFrom('mart_training_county_quarter as m')
    .innerJoin('dim_county as c', 'c.county_code', 'm.county_code')
    .where(countyInUnit(unit))
    .select(
      windows.flatMap((w, i) => [
        sql<number>`coalesce(sum(m.records) FILTER (WHERE m.kind = 'training' AND ${within(sql`m.quarter_key`, w)}), 0)::INTEGER`.as(`t${i}`),
        sql<number>`coalesce(sum(m.certified) FILTER (WHERE m.kind = 'certification' AND ${within(sql`m.quarter_key`, w)}), 0)::INTEGER`.as(`c${i}`),
      ]),
    )
    .executeTakeFirstOrThrow();
  const r = row as Record<string, number>;
  return windows.map((w, i) => (isEmpty(w) ? { trained: null, certified: null } : { trained: r[`t${i}`], certified: r[`c${i}`] }));
}

/**
 * Per window: subsidies disbursed to the unit (a county: to it; a city: to the city and its counties;
 * the province: all), by disbursement month. The funding mart is yearly; the grants table is small
 * (a few thousand rows), so months are read from it directly.
 */
export async function subsidiesByWindow(db: WarehouseDb, unit: UnitRef, windows: Window[]): Promise<number[]> {
  const month = sql`(year(f.disbursed_date) * 100 + month(f.disbursed_date))`;
  const row = await db
    .selectFrom('fact_funding as f')
    .innerJoin('dim_unit as u', 'u.unit_code', 'f.recipient_code')
    .$if(unit.level === 'county', (qb) => qb.where('f.recipient_code', '=', unit.code))
    .$if(unit.level === 'city', (qb) => qb.where((eb) => eb.or([eb('u.city_code', '=', unit.code), eb('f.recipient_code', '=', unit.code)])))
    .select(windows.map((w, i) => sql<number>`coalesce(round(sum(f.amount_yuan) FILTER (WHERE ${within(month, w)}), 2), 0)::DOUBLE`.as(`v${i}`)))
    .executeTakeFirstOrThrow();
  return windows.map((_, i) => (row as Record<string, number>)[`v${i}`]);
}

export interface TargetRow {
  code: string;
  set: 'county47' | 'reform88';
  metric: string;
  target_rule: string;
  target_op: '>=' | '<=' | '=' | '>=prev' | 'between';
  target_value: number | null;
  target_relative: number | null;
  target_points: number | null;
}

/** The targets in force in `year` of the stream indicators computing `metrics` (both sets). */
export async function targetsForYear(db: WarehouseDb, year: number, metrics: string[]): Promise<TargetRow[]> {
  if (!metrics.length) return [];
  const pick = (col: string) => sql`CASE WHEN t.code IS NULL THEN ${sql.ref(`i.${col}`)} ELSE ${sql.ref(`t.${col}`)} END`;
  return db
    .selectFrom('dim_indicator as i')
    .leftJoin('dim_indicator_target as t', (j) => j.onRef('t.code', '=', 'i.code').on('t.year', '=', year))
    .where('i.metric', 'in', metrics)
    .select([
      'i.code',
      'i.indicator_set as set',
      sql<string>`i.metric`.as('metric'),
      sql<string>`${pick('target_rule')}`.as('target_rule'),
      sql<TargetRow['target_op']>`${pick('target_op')}`.as('target_op'),
      sql<number | null>`${pick('target_value')}`.as('target_value'),
      sql<number | null>`${pick('target_relative')}`.as('target_relative'),
      sql<number | null>`${pick('target_points')}`.as('target_points'),
    ])
    .orderBy('i.sort_order')
    .execute();
}

// ---- The tiles: which figure, from which window, against which catalog target. ----

interface KpiDef {
  key: KpiKey;
  name_zh: string;
  name_en: string;
  unit: Kpi['unit'];
  basis: Kpi['basis'];
  /** the catalog metric whose indicator sets this figure's target */
  metric: string | null;
}

const KPI_DEFS: readonly KpiDef[] = [
  { key: 'members', name_zh: '互助会员', name_en: 'Mutual-aid members', unit: 'people', basis: 'plan_year', metric: 'members' },
  { key: 'member_growth', name_zh: '互助会员增长率', name_en: 'Mutual-aid member growth', unit: 'percent', basis: 'plan_year', metric: 'member_growth' },
  { key: 'mediation_rate', name_zh: '劳动争议调解成功率', name_en: 'Mediation success rate', unit: 'percent', basis: 'year_to_date', metric: 'mediation_success_rate' },
  { key: 'mediation_success', name_zh: '调解成功案件', name_en: 'Successful mediations', unit: 'cases', basis: 'year_to_date', metric: 'mediation_successes' },
  { key: 'claims_paid_amount', name_zh: '互助补助金额', name_en: 'Mutual-aid benefits paid', unit: 'yuan', basis: 'year_to_date', metric: 'claims_paid_amount' },
  { key: 'claims_beneficiaries', name_zh: '受益职工', name_en: 'Beneficiaries', unit: 'people', basis: 'year_to_date', metric: 'claims_beneficiaries' },
  { key: 'hardship_resolved', name_zh: '困难职工解困', name_en: 'Hardship cases resolved', unit: 'people', basis: 'quarters_to_date', metric: null },
  { key: 'subsidies_disbursed', name_zh: '经费补助拨付', name_en: 'Subsidies disbursed', unit: 'yuan', basis: 'year_to_date', metric: null },
  { key: 'skilled_trained', name_zh: '技能培训人次', name_en: 'Skills-training participations', unit: 'people', basis: 'quarters_to_date', metric: 'training_participants' },
  { key: 'skilled_certified', name_zh: '技能等级取证', name_en: 'Skill certificates issued', unit: 'people', basis: 'quarters_to_date', metric: 'certifications' },
];

/**
 * The target a catalog rule sets for a figure, given last year's figure for the same window.
 * `>= prev` rules (relative or in points) scale last year's figure: a year-to-date count against last
 * year's year to date is the sum of the monthly targets. Absolute thresholds (`>= 72%`) are rates and
 * apply only to rate figures: a count threshold is set per reporting period, not per year to date.
 */
export function targetOf(rule: TargetRow | undefined, unit: Kpi['unit'], lastYear: number | null): number | null {
  if (!rule) return null;
  if (rule.target_op === '>=' || rule.target_op === '<=') return unit === 'percent' ? rule.target_value : null;
  if (rule.target_op !== '>=prev' || lastYear === null) return null;
  const t = lastYear * (1 + (rule.target_relative ?? 0) / 100) + (rule.target_points ?? 0);
  if (unit === 'percent' || unit === 'yuan') return Math.round(t * 100) / 100;
  return Math.ceil(t - 1e-9); // at least: a count target rounds up
}

/** The indicator of the unit's own set computing the metric, else the other set's (same definition). */
function ruleFor(targets: TargetRow[], metric: string | null, unit: UnitRef): TargetRow | undefined {
  if (!metric) return undefined;
  const own = setOfLevel(unit.level);
  const candidates = targets.filter((t) => t.metric === metric);
  return candidates.find((t) => t.set === own) ?? candidates[0];
}

export async function overview(db: WarehouseDb, unit: UnitRef, year: number, month: number): Promise<Kpi[]> {
  const prev = month === 1 ? { year: year - 1, month: 12 } : { year, month: month - 1 };
  const months = [monthsToDate(year, month), monthsToDate(prev.year, prev.month), monthsToDate(year - 1, month)];
  const quarters = [quartersToDate(year, month), quartersToDate(prev.year, prev.month), quartersToDate(year - 1, month)];
  const [mediation, paid, beneficiaries, resolved, training, subsidies, members, targets] = await Promise.all([
    mediationByWindow(db, unit, months),
    claimsPaidByWindow(db, unit, months),
    beneficiariesByWindow(db, unit, months),
    hardshipResolvedByWindow(db, unit, quarters),
    trainingByWindow(db, unit, quarters),
    subsidiesByWindow(db, unit, months),
    membersByYear(db, unit),
    targetsForYear(db, year, KPI_DEFS.flatMap((k) => (k.metric ? [k.metric] : []))),
  ]);
  const plan = (y: number) => members.find((m) => m.year === y);
  const figures: Record<KpiKey, (number | null)[]> = {
    members: [plan(year)?.members ?? null, null, plan(year - 1)?.members ?? null],
    member_growth: [plan(year)?.growth ?? null, null, plan(year - 1)?.growth ?? null],
    mediation_rate: mediation.map((m) => m.rate),
    mediation_success: mediation.map((m) => m.success),
    claims_paid_amount: paid,
    claims_beneficiaries: beneficiaries,
    hardship_resolved: resolved,
    subsidies_disbursed: subsidies,
    skilled_trained: training.map((t) => t.trained),
    skilled_certified: training.map((t) => t.certified),
  };
  const span = (basis: Kpi['basis']): { from: string | null; to: string | null } => {
    if (basis === 'plan_year') return { from: `${year}-01`, to: `${year}-12` };
    if (basis === 'year_to_date') return { from: monthOfKey(months[0].from), to: monthOfKey(months[0].to) };
    const q = quarters[0];
    return isEmpty(q) ? { from: null, to: null } : { from: firstMonthOfQuarterKey(q.from), to: lastMonthOfQuarterKey(q.to) };
  };
  return KPI_DEFS.map(({ metric, ...def }) => {
    const [value, previous, last_year] = figures[def.key];
    const rule = ruleFor(targets, metric, unit);
    const target = targetOf(rule, def.unit, last_year);
    const met = value === null || target === null ? null : rule?.target_op === '<=' ? value <= target : value >= target;
    return {
      ...def,
      ...span(def.basis),
      value,
      previous,
      last_year,
      target,
      target_rule: target === null ? null : rule!.target_rule,
      target_indicator: target === null ? null : rule!.code,
      met,
    };
  });
}
