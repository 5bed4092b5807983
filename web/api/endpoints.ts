// Every endpoint the cockpit reads, typed. Views never write a URL: they call these.
import { apiDelete, apiPost, apiUpload, endpoint } from './client.ts';
import type {
  Alerts,
  Briefing,
  Catalog,
  IndicatorSet,
  InsuranceClaims,
  InsuranceMembers,
  MapValues,
  MediationSuccessRate,
  Me,
  Meta,
  Overview,
  Rankings,
  ReportingCalendar,
  ReportingStatus,
  ReportingTotals,
  Scorecard,
  Stream,
  SubmissionDetail,
  Submissions,
  SubmissionStatus,
  Subscription,
  SubscriptionBody,
  SubscriptionList,
  SubscriptionRun,
  UnitTree,
  Upload,
  Wall,
  WallCharts,
  WallCountyMap,
} from './types.ts';

export const PROVINCE = '450000';

export const api = {
  me: () => endpoint<{ user: Me }>('/api/auth/me'),
  meta: () => endpoint<Meta>('/api/meta'),
  units: () => endpoint<UnitTree>('/api/units'),
  catalog: () => endpoint<Catalog>('/api/catalog'),
  overview: (period?: string, unit?: string) => endpoint<Overview>('/api/overview', { period, unit }),
  mediationSuccessRate: (q: { unit: string; from?: string; to?: string; by?: 'month' | 'city' | 'county' }) =>
    endpoint<MediationSuccessRate>('/api/mediation/success-rate', q),
  insuranceMembers: (unit: string) => endpoint<InsuranceMembers>('/api/insurance/members', { unit }),
  insuranceClaims: (unit: string, year?: number) => endpoint<InsuranceClaims>('/api/insurance/claims', { unit, year }),
  rankings: (q: { set: IndicatorSet; period?: string; city?: string }) => endpoint<Rankings>('/api/rankings', q),
  map: (q: { set: IndicatorSet; period?: string; level?: 'county' | 'city' }) => endpoint<MapValues>('/api/map', q),
  scorecard: (code: string, period?: string) => endpoint<Scorecard>(`/api/units/${encodeURIComponent(code)}/scorecard`, { period }),
  alerts: (q: { period?: string; level?: 'county' | 'city' | 'province'; unit?: string; limit?: number } = {}) => endpoint<Alerts>('/api/alerts', q),
  briefing: (period?: string) => endpoint<Briefing>('/api/briefing', { period }),
  /** the wall's panels in one answer; `final`: the rankings of the last complete year */
  wall: (score: 'ytd' | 'final' = 'ytd', unit = PROVINCE) =>
    endpoint<Wall>('/api/wall', { score: score === 'final' ? 'final' : undefined, unit: unit === PROVINCE ? undefined : unit }),
  /** the wall's county map drawn on the server (SVG), its first paint before ECharts has run */
  wallCountyMap: () => endpoint<WallCountyMap>('/api/wall/county-map'),
  /** the wall's trend and growth charts drawn on the server at the screen's chart sizes (WIDTHxHEIGHT) and language */
  wallCharts: (q: { unit: string; lang: 'zh-CN' | 'en'; scale_pct: number; mediation_trend?: string; member_growth?: string }) =>
    endpoint<WallCharts>('/api/wall/charts', { ...q, unit: q.unit === PROVINCE ? undefined : q.unit }),
  /** counts only (the wall may read it); default month: the last one that has ended */
  reportingTotals: (period?: string) => endpoint<ReportingTotals>('/api/reporting/totals', { period }),
  reportingCalendar: () => endpoint<ReportingCalendar>('/api/reporting/calendar'),
  reportingStatus: (period: string) => endpoint<ReportingStatus>('/api/reporting/status', { period }),
  submissions: (q: { county?: string; period?: string; status?: SubmissionStatus; stream?: Stream }) => endpoint<Submissions>('/api/submissions', q),
  submission: (id: number) => endpoint<SubmissionDetail>(`/api/submissions/${id}`),
  subscriptions: () => endpoint<SubscriptionList>('/api/subscriptions'),
};

/** Subscriptions (analysts, admins): make one, stop one, send one now. */
export const subscriptions = {
  create: (body: SubscriptionBody) => apiPost<Subscription>('/api/subscriptions', body),
  remove: (id: number) => apiDelete<null>(`/api/subscriptions/${id}`),
  run: (id: number) => apiPost<{ run: SubscriptionRun }>(`/api/subscriptions/${id}/run`, undefined),
};

/** County reporting: the steps that change a submission's state (each answers the submission's detail). */
export const reporting = {
  upload: (file: File, fields: { stream?: Stream; period?: string } = {}) => apiUpload<Upload>('/api/submissions', file, fields),
  submit: (id: number) => apiPost<SubmissionDetail>(`/api/submissions/${id}/submit`, undefined),
  discard: (id: number) => apiDelete<SubmissionDetail>(`/api/submissions/${id}`),
  approve: (id: number) => apiPost<SubmissionDetail>(`/api/submissions/${id}/approve`, undefined),
  return: (id: number, reason: string) => apiPost<SubmissionDetail>(`/api/submissions/${id}/return`, { reason }),
};

/** Files the reporting pages link to (downloaded by the browser, not read by the app). */
export const reportingFiles = {
  template: (stream: Stream) => endpoint(`/api/templates/${stream}.xlsx`).path,
  rejects: (id: number) => endpoint(`/api/submissions/${id}/rejects.csv`).path,
  overdue: (period: string) => endpoint('/api/reporting/overdue.xlsx', { period }).path,
};

/** Reports the API exports as CSV, XLSX or PDF (GET /api/exports/:report.:format). */
export type ExportReport = 'rankings' | 'scorecard' | 'mediation' | 'insurance';
export type ExportFormat = 'csv' | 'xlsx' | 'pdf';

export function exportUrl(report: ExportReport, format: ExportFormat, query: Record<string, string | undefined>): string {
  return endpoint(`/api/exports/${report}.${format}`, query).path;
}
