// A subscription's report parameters, checked when it is made (a 400 naming params.<field>) and read
// again when it runs. Scheduled reports follow the newest data: no period means the current one.
import type { Snapshot } from '../plugins/warehouse.ts';
import { badParameter, echo } from '../plugins/errors.ts';
import { resolveScorePeriod } from '../queries/scores.ts';
import { findUnit } from '../queries/units.ts';
import { REPORT_PARAMS, type ReportFormat, type ReportKind } from '../../core/subscription-reports.ts';

export interface ReportParams {
  lang?: 'zh-CN' | 'en';
  /** a scoring period (2025, 2025-Q2, final); default the current year to date */
  period?: string;
  set?: 'county47' | 'reform88';
  city?: string;
  unit?: string;
  by?: 'month' | 'city' | 'county';
  format?: ReportFormat;
}

const ENUMS: Partial<Record<keyof ReportParams, readonly string[]>> = {
  lang: ['zh-CN', 'en'],
  set: ['county47', 'reform88'],
  by: ['month', 'city', 'county'],
};

export function defaultFormat(report: ReportKind): ReportParams['format'] | undefined {
  return REPORT_PARAMS[report].formats[0];
}

/** The parameters as given, checked against the report and the live snapshot. */
export async function checkParams(report: ReportKind, given: Record<string, unknown>, snapshot: Snapshot | null): Promise<ReportParams> {
  const allowed = REPORT_PARAMS[report];
  for (const [key, value] of Object.entries(given)) {
    if (!(allowed.keys as string[]).includes(key)) throw badParameter(`params.${key}`.slice(0, 60), `the ${report} report takes ${allowed.keys.join(', ') || 'no parameters'}`);
    if (typeof value !== 'string') throw badParameter(`params.${key}`, 'must be a string');
    const choices = key === 'format' ? (allowed.formats as string[]) : ENUMS[key as keyof ReportParams];
    if (choices && !choices.includes(value)) throw badParameter(`params.${key}`, `must be one of ${choices.join(', ')} (got ${echo(value)})`);
  }
  const p = given as ReportParams;
  if (report === 'rankings' && !p.set) throw badParameter('params.set', 'is required: county47 (the counties) or reform88 (the cities)');
  if ((report === 'scorecard' || report === 'mediation') && !p.unit) throw badParameter('params.unit', 'is required: 450000, a city or a county code');
  if (!snapshot) return p;
  const { db } = snapshot;
  for (const key of ['unit', 'city'] as const) {
    if (p[key] === undefined) continue;
    const unit = /^45\d{4}$/.test(p[key]) ? await findUnit(db, p[key]) : undefined;
    if (!unit) throw badParameter(`params.${key}`, `${echo(p[key])} is not a unit of Guangxi: use 450000, a city or a county code (GET /api/units)`);
    if (key === 'city' && (unit.level !== 'city' || p.set !== 'county47')) throw badParameter('params.city', 'a city code, filtering the county rankings (set=county47)');
  }
  if (p.period !== undefined && !(await resolveScorePeriod(db, p.period))) {
    throw badParameter('params.period', `${echo(p.period)} has no scores: a year (2025), a quarter (2025-Q2) or final`);
  }
  return p;
}
