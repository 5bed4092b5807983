// What the wall shows, computed from API answers: pure functions, tested without a browser.
import type { Kpi, KpiKey, MediationSuccessRate, InsuranceMembers, Overview, RankingRow } from '../../api/types.ts';

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

/** The period the wall shows: the month of the newest data. */
export function wallPeriod(newestData: string | null | undefined, now = new Date()): { year: number; month: number; period: string } {
  const iso = newestData && /^\d{4}-\d{2}/.test(newestData) ? newestData : now.toISOString();
  const year = Number(iso.slice(0, 4));
  const month = Number(iso.slice(5, 7));
  return { year, month, period: `${year}-${String(month).padStart(2, '0')}` };
}

/** Twelve values (January..December) of a monthly success-rate series for one year; null where absent. */
export function monthlyRates(series: MediationSuccessRate['series'], year: number): (number | null)[] {
  const out: (number | null)[] = Array(12).fill(null);
  for (const p of series ?? []) {
    if (Number(p.key.slice(0, 4)) !== year) continue;
    const m = Number(p.key.slice(5, 7));
    if (m >= 1 && m <= 12) out[m - 1] = p.success + p.failed > 0 ? p.rate : null;
  }
  return out;
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
  /** the same period last year */
  lastYear: number | null;
  /** change against the same period last year: points for percentages, percent otherwise */
  yoy: number | null;
  yoyKind: 'points' | 'percent';
}

const UNIT_OF: Record<TileKey, Kpi['unit']> = {
  members: 'people',
  mediation_rate: 'percent',
  mediation_success: 'cases',
  claims_paid_amount: 'yuan',
  claims_beneficiaries: 'people',
  hardship_resolved: 'people',
  subsidies_disbursed: 'yuan',
  skilled_trained: 'people',
};

function yoyOf(value: number | null, lastYear: number | null, unit: Kpi['unit']): number | null {
  if (value === null || lastYear === null) return null;
  if (unit === 'percent') return Math.round((value - lastYear) * 100) / 100;
  if (lastYear === 0) return null;
  return Math.round((value / lastYear - 1) * 1000) / 10;
}

/**
 * The eight headline tiles, in a fixed order. From GET /api/overview when the server has it; until
 * then (or for a figure it lacks) from the mediation and membership endpoints the wall reads anyway.
 */
export function kpiTiles(
  overview: Overview | null,
  fallback: { mediationNow: MediationSuccessRate | null; mediationLastYear: MediationSuccessRate | null; members: InsuranceMembers | null; year: number },
): KpiTileModel[] {
  const fromOverview = new Map<KpiKey, Kpi>((overview?.kpis ?? []).map((k) => [k.key, k]));
  const { mediationNow: now, mediationLastYear: before, members, year } = fallback;
  const membersNow = members?.years.find((y) => y.year === year) ?? members?.years.at(-1) ?? null;
  const membersPrev = membersNow ? members?.years.find((y) => y.year === membersNow.year - 1) ?? null : null;
  const derived: Partial<Record<TileKey, { value: number | null; last_year: number | null; target: number | null }>> = {
    members: membersNow ? { value: membersNow.members, last_year: membersPrev?.members ?? null, target: null } : undefined,
    mediation_rate: now ? { value: now.rate, last_year: before?.rate ?? null, target: null } : undefined,
    mediation_success: now ? { value: now.success, last_year: before?.success ?? null, target: null } : undefined,
  };
  return KPI_ORDER.map((key) => {
    const served = fromOverview.get(key);
    // The server says how to format its figures; the fallback figures have known units.
    const unit = served?.unit ?? UNIT_OF[key];
    const k = served ?? derived[key] ?? null;
    const value = k?.value ?? null;
    const lastYear = k?.last_year ?? null;
    return { key, unit, value, target: k?.target ?? null, lastYear, yoy: yoyOf(value, lastYear, unit), yoyKind: unit === 'percent' ? 'points' : 'percent' };
  });
}

/** The best and the worst n, each with its rank change. */
export function topAndBottom(rows: readonly RankingRow[], n = 5): { top: RankingRow[]; bottom: RankingRow[] } {
  const sorted = [...rows].sort((a, b) => a.rank - b.rank);
  return { top: sorted.slice(0, n), bottom: sorted.slice(-n).reverse() };
}

export type Translate = (key: string, values?: Record<string, unknown>) => string;

export interface BriefingInput {
  /** the headline tiles: the briefing states the same figures */
  tiles: readonly KpiTileModel[];
  members: InsuranceMembers | null;
  rankings: readonly RankingRow[] | null;
  /** counties below the mediation target, when known */
  belowTarget: number | null;
  fmt: {
    percent: (v: number) => string;
    points: (v: number) => string;
    cases: (v: number) => string;
    people: (v: number) => string;
    growth: (v: number) => string;
  };
}

/** 本期要点: a few sentences on what changed, most important first, at most `max`. */
export function briefingSentences(input: BriefingInput, t: Translate, max = 4): string[] {
  const out: string[] = [];
  const { fmt } = input;
  const tile = (key: TileKey) => input.tiles.find((k) => k.key === key);
  const rate = tile('mediation_rate');
  if (rate?.value != null && rate.lastYear != null) {
    const change = rate.value - rate.lastYear;
    out.push(t('briefing.mediationRate', { rate: fmt.percent(rate.value), direction: t(change >= 0 ? 'briefing.up' : 'briefing.down'), change: fmt.points(Math.abs(change)) }));
  }
  const success = tile('mediation_success');
  if (success?.value != null && success.lastYear != null && success.lastYear > 0) {
    const diff = success.value - success.lastYear;
    out.push(t('briefing.mediationSuccess', { count: fmt.cases(success.value), direction: t(diff >= 0 ? 'briefing.more' : 'briefing.fewer'), diff: fmt.cases(Math.abs(diff)) }));
  }
  const years = input.members?.years ?? [];
  const base = years.find((y) => y.year === 2020) ?? years[0];
  const last = years.at(-1);
  if (base && last && last.year > base.year && base.members > 0) {
    out.push(t('briefing.members', { members: fmt.people(last.members), base: base.year, growth: fmt.growth((last.members / base.members - 1) * 100) }));
  }
  const movers = [...(input.rankings ?? [])].filter((r) => r.rank_change !== null && r.rank_change !== 0);
  const up = movers.sort((a, b) => (b.rank_change ?? 0) - (a.rank_change ?? 0))[0];
  if (up && (up.rank_change ?? 0) > 0) out.push(t('briefing.topMover', { unit: up.unit.name, places: up.rank_change, rank: up.rank }));
  const down = [...movers].sort((a, b) => (a.rank_change ?? 0) - (b.rank_change ?? 0))[0];
  if (down && (down.rank_change ?? 0) < 0) out.push(t('briefing.bottomMover', { unit: down.unit.name, places: -(down.rank_change ?? 0) }));
  if (input.belowTarget) out.push(t('briefing.belowTarget', { count: input.belowTarget }));
  return out.slice(0, max);
}

/** "14:05:09" in the wall's local time. */
export function clockText(d: Date): string {
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}
