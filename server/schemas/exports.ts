// GET /api/exports/<report>.<format>: the same filters as the JSON endpoint of each report, plus the
// language of titles and headers. The response is a file (CSV, XLSX or PDF), or an error body.
import { Type, type Static } from 'typebox';
import { Month, UnitCode, Year } from './common.ts';
import { ScorePeriodParam } from './scores.ts';

export const EXPORT_FORMATS = ['csv', 'xlsx', 'pdf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const ExportParams = Type.Object({
  format: Type.Enum(EXPORT_FORMATS, { description: 'csv (UTF-8 with BOM), xlsx or pdf' }),
});

export const Lang = Type.Optional(Type.Enum(['zh-CN', 'en'], { description: 'language of the title and headers; default zh-CN' }));

export const MediationExportQuery = Type.Object({
  unit: UnitCode,
  from: Type.Optional(Month('the first month; default: January of `to`')),
  to: Type.Optional(Month('the last month; default: the month of the newest data')),
  by: Type.Optional(Type.Enum(['month', 'city', 'county'], { description: 'rows by month, city or county; default county (month for a county)' })),
  lang: Lang,
});
export type MediationExportQuery = Static<typeof MediationExportQuery>;

export const InsuranceExportQuery = Type.Object({
  unit: UnitCode,
  by: Type.Optional(Type.Enum(['year', 'month'], { description: 'rows by plan year (members and claims; default) or by month of `year` (claims)' })),
  year: Type.Optional(Year('the year of the monthly rows; default: the newest year with paid claims')),
  lang: Lang,
});
export type InsuranceExportQuery = Static<typeof InsuranceExportQuery>;


export const RankingsExportQuery = Type.Object({
  set: Type.Enum(['county47', 'reform88'], { description: 'county47 (the 111 counties) or reform88 (the 14 cities)' }),
  period: ScorePeriodParam,
  city: Type.Optional(Type.String({ pattern: '^45\\d{2}00$', description: 'a city code such as 450100: only its counties (county47 only)' })),
  lang: Lang,
});
export type RankingsExportQuery = Static<typeof RankingsExportQuery>;

export const ScorecardExportQuery = Type.Object({
  unit: UnitCode,
  period: ScorePeriodParam,
  lang: Lang,
});
export type ScorecardExportQuery = Static<typeof ScorecardExportQuery>;
