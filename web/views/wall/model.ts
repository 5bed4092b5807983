// What the wall shows, laid out from API answers (the figures themselves are the API's): pure
// functions, tested without a browser.
import type { Kpi, KpiKey, Overview, RankingRow } from '../../api/types.ts';

export interface WallConfig {
  /** how often to revalidate every panel's data */
  refreshMs: number;
  /** how often rotating panels turn to their next page; 0 = never */
  rotateMs: number;
  /** the mutual-aid enrolment window, month-day, inclusive (参保期) */
  enrolment: { start: string; end: string };
}

export const DEFAULT_WALL_CONFIG: WallConfig = {
  refreshMs: 30_000,
  rotateMs: 20_000,
  // The federation's annual enrolment campaign: 1 October to 31 December for the next plan year.
  enrolment: { start: '10-01', end: '12-31' },
};

const MD = /^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** The wall's settings from its URL: ?refresh=30&rotate=20&enrol=10-01..12-31 (seconds). */
export function wallConfigFromQuery(q: Record<string, unknown>): WallConfig {
  const num = (v: unknown, min: number, max: number, fallback: number) => {
    const n = Number(Array.isArray(v) ? v[0] : v);
    return Number.isFinite(n) && n >= min && n <= max ? n : fallback;
  };
  const cfg: WallConfig = {
    refreshMs: num(q.refresh, 1, 3600, DEFAULT_WALL_CONFIG.refreshMs / 1000) * 1000,
    rotateMs: num(q.rotate, 0, 3600, DEFAULT_WALL_CONFIG.rotateMs / 1000) * 1000,
    enrolment: { ...DEFAULT_WALL_CONFIG.enrolment },
  };
  const enrol = typeof q.enrol === 'string' ? q.enrol.split('..') : [];
  if (enrol.length === 2 && MD.test(enrol[0]) && MD.test(enrol[1])) cfg.enrolment = { start: enrol[0], end: enrol[1] };
  return cfg;
}

export interface Countdown {
  /** open: days until the window closes; upcoming: days until it opens */
  phase: 'open' | 'upcoming';
  days: number;
  /** the calendar year the window is in */
  year: number;
  from: string;
  to: string;
}

const dayNumber = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) / 86_400_000;

/**
 * Days left in the enrolment window, or days until it opens. Counted in whole calendar days in the
 * wall's local date: on the last day of the window one day is left (today still counts).
 */
export function enrolmentCountdown(now: Date, window: { start: string; end: string }): Countdown {
  const y = now.getFullYear();
  const today = dayNumber(y, now.getMonth() + 1, now.getDate());
  const [sm, sd] = window.start.split('-').map(Number);
  const [em, ed] = window.end.split('-').map(Number);
  const wraps = em * 100 + ed < sm * 100 + sd; // e.g. 11-15..01-31
  const span = (startYear: number) => {
    const start = dayNumber(startYear, sm, sd);
    const end = dayNumber(wraps ? startYear + 1 : startYear, em, ed);
    return { start, end, startYear };
  };
  for (const cand of [span(y - 1), span(y), span(y + 1)]) {
    if (today <= cand.end) {
      const fmt = (d: number) => new Date(d * 86_400_000).toISOString().slice(0, 10);
      if (today >= cand.start) return { phase: 'open', days: cand.end - today + 1, year: cand.startYear, from: fmt(cand.start), to: fmt(cand.end) };
      return { phase: 'upcoming', days: cand.start - today, year: cand.startYear, from: fmt(cand.start), to: fmt(cand.end) };
    }
  }
  throw new Error('unreachable: a window in the next year always follows');
}

/** The eight figures the wall shows as tiles, in order (the overview has a few more). */
export const KPI_ORDER = [
  'members',
  'mediation_rate',
  'mediation_success',
  'claims_paid_amount',
  'claims_beneficiaries',
  'hardship_resolved',
  'subsidies_disbursed',
  'skilled_trained',
] as const satisfies readonly KpiKey[];
export type TileKey = (typeof KPI_ORDER)[number];

export interface KpiTileModel {
  key: TileKey;
  value: number | null;
  unit: Kpi['unit'];
  target: number | null;
  /** the engine's target test (null without a target) */
  met: boolean | null;
  /** the same period last year */
  lastYear: number | null;
  /** the engine's change against the same period last year: points for percentages, percent otherwise */
  change: number | null;
  changeKind: Kpi['change_kind'];
}

/** The eight headline tiles in the wall's order, as GET /api/overview gives them (empty until it answers). */
export function kpiTiles(overview: Overview | null): KpiTileModel[] {
  const served = new Map<KpiKey, Kpi>((overview?.kpis ?? []).map((k) => [k.key, k]));
  return KPI_ORDER.flatMap((key) => {
    const k = served.get(key);
    return k ? [{ key, unit: k.unit, value: k.value, target: k.target, met: k.met, lastYear: k.last_year, change: k.change, changeKind: k.change_kind }] : [];
  });
}

/** The best and the worst n, each with its rank change. */
export function topAndBottom(rows: readonly RankingRow[], n = 5): { top: RankingRow[]; bottom: RankingRow[] } {
  const sorted = [...rows].sort((a, b) => a.rank - b.rank);
  return { top: sorted.slice(0, n), bottom: sorted.slice(-n).reverse() };
}

/** "14:05:09" in the wall's local time. */
export function clockText(d: Date): string {
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}
