// The shapes the cockpit reads. Where the server exports a TypeBox schema (server/schemas), the type
// is the schema's Static type, imported with `import type` (erased at build time: no server code
// reaches the bundle). Endpoints not built yet are typed below as issue 4 documents them, and move
// to the server's types when server/schemas exports them.
import type { MeResponse, Me as ServerMe } from '../../server/schemas/auth.ts';
import type { CatalogResponse } from '../../server/schemas/catalog.ts';
import type { UnitRef as ServerUnitRef } from '../../server/schemas/common.ts';
import type { ClaimsResponse, MembersResponse } from '../../server/schemas/insurance.ts';
import type { SuccessRateResponse } from '../../server/schemas/mediation.ts';
import type { MetaResponse } from '../../server/schemas/meta.ts';
import type { Kpi as ServerKpi, KpiKey as ServerKpiKey, OverviewResponse } from '../../server/schemas/overview.ts';
import type { UnitsResponse } from '../../server/schemas/units.ts';
import type { IndicatorSet, Unit as IndicatorUnit, Direction } from '../../etl/catalog/schema.ts';

export type UnitRef = ServerUnitRef;
export type { IndicatorSet, IndicatorUnit, Direction };

export type Me = ServerMe;
export type Role = Me['role'];
/** GET /api/auth/me, POST /api/auth/login */
export type MeBody = MeResponse;
/** GET /api/meta */
export type Meta = MetaResponse;
/** GET /api/units */
export type UnitTree = UnitsResponse;
/** GET /api/mediation/success-rate */
export type MediationSuccessRate = SuccessRateResponse;
export type SuccessRate = Pick<SuccessRateResponse, 'success' | 'failed' | 'rate'>;
/** GET /api/insurance/members */
export type InsuranceMembers = MembersResponse;
/** GET /api/insurance/claims */
export type InsuranceClaims = ClaimsResponse;
/** GET /api/catalog */
export type Catalog = CatalogResponse;
/** GET /api/overview: every headline figure of a unit for a month */
export type Overview = OverviewResponse;
export type Kpi = ServerKpi;
export type KpiKey = ServerKpiKey;

// ---- Documented in issue 4, not built yet when this was written: the cockpit's expectations. ----

export interface DimensionScore {
  dimension: string;
  score: number;
  /** the dimension's weight: the most points it can give */
  max: number;
}

export interface RankingRow {
  unit: UnitRef;
  composite: number;
  rank: number;
  /** rank among the counties of its city (county47 only) */
  rank_city: number | null;
  previous_rank: number | null;
  /** previous_rank - rank: positive means moved up */
  rank_change: number | null;
  dimensions: DimensionScore[];
}

/** GET /api/rankings?set=&period=[&city=] */
export interface Rankings {
  set: IndicatorSet;
  period: string;
  previous_period: string | null;
  rows: RankingRow[];
}

/** GET /api/map?set=&period=&level=county|city */
export interface MapValues {
  set: IndicatorSet;
  period: string;
  level: 'county' | 'city';
  values: { code: string; name: string; value: number | null }[];
}

export type IndicatorStatus = 'met' | 'near' | 'behind' | 'missing' | 'not_applicable';

export interface ScorecardIndicator {
  code: string;
  name_zh: string;
  name_en: string;
  dimension: string;
  unit: IndicatorUnit;
  direction: Direction;
  value: number | null;
  target: number | null;
  /** the target as the catalog states it, e.g. ">= 72%" */
  target_text: string;
  /** value against target, percent (100 = met) */
  attainment: number | null;
  weight: number;
  points: number;
  points_lost: number;
  status: IndicatorStatus;
  /** year-end value projected from the year-to-date trend */
  projection: number | null;
  explanation_zh: string;
  explanation_en: string;
}

/** GET /api/units/:code/scorecard?period= */
export interface Scorecard {
  unit: UnitRef;
  set: IndicatorSet;
  period: string;
  composite: number;
  rank: {
    province: number;
    province_of: number;
    city: number | null;
    city_of: number | null;
    previous_province: number | null;
    previous_city: number | null;
  };
  trend: { period: string; composite: number; rank: number }[];
  dimensions: (DimensionScore & { city_avg: number | null; province_avg: number | null })[];
  indicators: ScorecardIndicator[];
  /** the indicators whose improvement would gain the most places */
  path_up: { code: string; places_gained: number; points_gained: number }[];
  data_quality: { code: string | null; period: string | null; message_zh: string; message_en: string }[];
}

/** GET /api/alerts?period= (预警) */
export interface Alerts {
  period: string;
  alerts: {
    level: 'high' | 'medium' | 'low';
    unit: UnitRef;
    indicator_code: string | null;
    message_zh: string;
    message_en: string;
  }[];
}


export interface ApiErrorBody {
  error: { code: string; message: string; field?: string };
}
