// The shapes the cockpit reads. Where the server exports a TypeBox schema (server/schemas), the type
// is the schema's Static type, imported with `import type` (erased at build time: no server code
// reaches the bundle).
import type { MeResponse, Me as ServerMe } from '../../server/schemas/auth.ts';
import type { CatalogResponse } from '../../server/schemas/catalog.ts';
import type { UnitRef as ServerUnitRef } from '../../server/schemas/common.ts';
import type { ClaimsResponse, MembersResponse } from '../../server/schemas/insurance.ts';
import type { SuccessRateResponse } from '../../server/schemas/mediation.ts';
import type { MetaResponse } from '../../server/schemas/meta.ts';
import type { Kpi as ServerKpi, KpiKey as ServerKpiKey, OverviewResponse } from '../../server/schemas/overview.ts';
import type {
  Alert as ServerAlert,
  AlertsResponse,
  BriefingResponse,
  DimensionScore as ServerDimensionScore,
  MapResponse,
  RankingRow as ServerRankingRow,
  RankingsResponse,
  ScorecardIndicator as ServerScorecardIndicator,
  ScorecardResponse,
} from '../../server/schemas/scores.ts';
import type { CalendarResponse, StatusResponse } from '../../server/schemas/reporting.ts';
import type { SubmissionDetail as ServerSubmissionDetail, Submission as ServerSubmission, SubmissionList, SubmissionReject, UploadResponse } from '../../server/schemas/submissions.ts';
import type { UnitsResponse } from '../../server/schemas/units.ts';
import type { WallChartsSvgResponse, WallMapSvgResponse, WallResponse } from '../../server/schemas/wall.ts';
import type { IndicatorSet, Unit as IndicatorUnit, Direction } from '../../core/catalog-vocabulary.ts';

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

// ---- Scores from the indicator engine (server/schemas/scores.ts) ----

/** Which scoring period an answer is for: '2026' (year to date) or '2026-Q2' (as the year stood then). */
export type PeriodFields = Pick<RankingsResponse, 'period' | 'period_kind' | 'period_start' | 'period_end' | 'previous_period' | 'final_period' | 'period_scope'>;
export type DimensionScore = ServerDimensionScore;
export type RankingRow = ServerRankingRow;
/** GET /api/rankings?set=&period=[&city=] */
export type Rankings = RankingsResponse;
/** GET /api/map?set=&period=&level=county|city[&indicator=] */
export type MapValues = MapResponse;
export type ScorecardIndicator = ServerScorecardIndicator;
export type IndicatorStatus = ScorecardIndicator['status'];
export type Alert = ServerAlert;
/** GET /api/units/:code/scorecard?period= (its alerts are the Alert schema, by reference) */
export type Scorecard = Omit<ScorecardResponse, 'alerts'> & { alerts: Alert[] };
export type ExplainItem = Scorecard['explanation']['costs_most'][number];
/** GET /api/alerts?period=[&level=&unit=&kind=&limit=] (预警) */
export type Alerts = AlertsResponse;
/** GET /api/briefing?period= (本期要点) */
export type Briefing = BriefingResponse;
/** GET /api/wall[?score=final]: everything the wall draws from the snapshot, with each panel's as-of month */
export type Wall = WallResponse;
export type WallCountyMap = WallMapSvgResponse;
export type WallCharts = WallChartsSvgResponse;

// ---- County reporting (server/schemas/reporting.ts, submissions.ts) ----

/** GET /api/reporting/calendar: each stream's period, deadline day and names */
export type ReportingCalendar = CalendarResponse;
export type Stream = CalendarResponse['streams'][number]['stream'];
/** GET /api/reporting/status?period=YYYY-MM: counties x streams */
export type ReportingStatus = StatusResponse;
export type StatusCell = StatusResponse['counties'][number]['cells'][number];
export type Submission = ServerSubmission;
export type SubmissionStatus = Submission['status'];
export type Reject = SubmissionReject;
/** POST /api/submissions (multipart) */
export type Upload = UploadResponse;
/** GET /api/submissions[?county=&period=&status=&stream=] */
export type Submissions = SubmissionList;
/**
 * GET /api/submissions/:id. `preview` ("what it would change") is shown when the server gives it:
 * sentences, or rows naming a figure before and after.
 */
export type SubmissionDetail = ServerSubmissionDetail & { preview?: unknown };

export interface ApiErrorBody {
  error: { code: string; message: string; field?: string };
}

export type { TotalsResponse as ReportingTotals } from '../../server/schemas/reporting.ts';

// ---- Subscriptions (server/schemas/subscriptions.ts) ----
export type { Subscription, SubscriptionBody, SubscriptionList, SubscriptionRun } from '../../server/schemas/subscriptions.ts';
