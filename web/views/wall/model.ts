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
  /** the daily self-reload, local time of the screen; null = never (?reload=off) */
  reloadAt: { hour: number; minute: number; second: number } | null;
  /** how the layout meets the screen (?scale=fit|fill|native) */
  scale: ScaleMode;
  /** native mode's root font size in CSS pixels (?rem=); null = from the screen's short side */
  nativeRem: number | null;
  /** whole wall pages to rotate (?playlist=province,450100 or ?playlist=cities); null = the province only */
  playlist: PlaylistEntry[] | null;
  /** how long each playlist page shows */
  pageMs: number;
  /** a test hook (?speed=): every interval is divided by it, so a soak runs a week in minutes */
  speed: number;
}

/**
 * fit: the 16:9 design, as large as the screen allows, centred with bars (letterbox);
 * fill: the whole screen, text sized by the shorter side, the middle column and rows take the rest;
 * native: text at whole-pixel size, no scaling at all, and the layout chosen for the screen's shape
 * (wide for LED strips and double screens, stacked for portrait).
 * None of them uses CSS transforms: every mode sets the root font size, so text is rasterised at
 * its final size and charts re-render at the screen's pixels.
 */
export type ScaleMode = 'fit' | 'fill' | 'native';
export const SCALE_MODES: readonly ScaleMode[] = ['fit', 'fill', 'native'];

/** A playlist page: the province or one city (its code), or every city in the units tree's order. */
export type PlaylistEntry = 'province' | 'cities' | string;

export const DEFAULT_WALL_CONFIG: WallConfig = {
  refreshMs: 30_000,
  rotateMs: 20_000,
  // The federation's annual enrolment campaign: 1 October to 31 December for the next plan year.
  enrolment: { start: '10-01', end: '12-31' },
  // 03:30: after the nightly ETL, long before anybody is in the hall
  reloadAt: { hour: 3, minute: 30, second: 0 },
  scale: 'fill',
  nativeRem: null,
  playlist: null,
  pageMs: 60_000,
  speed: 1,
};

const MD = /^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

const HMS = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;
const UNIT = /^45\d{4}$/;

/**
 * The wall's settings from its URL: ?refresh=30&rotate=20&enrol=10-01..12-31 (seconds),
 * &reload=03:30|off (hh:mm[:ss], the screen's local time), &scale=fit|fill|native (&rem=24 in native), &playlist=province,450100|cities
 * (&page=60 seconds a page), &speed=N (tests). Nonsense falls back to the defaults.
 */
export function wallConfigFromQuery(q: Record<string, unknown>): WallConfig {
  const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);
  const num = (v: unknown, min: number, max: number, fallback: number) => {
    const n = Number(first(v));
    return first(v) !== undefined && first(v) !== '' && Number.isFinite(n) && n >= min && n <= max ? n : fallback;
  };
  const d = DEFAULT_WALL_CONFIG;
  const cfg: WallConfig = {
    refreshMs: num(q.refresh, 1, 3600, d.refreshMs / 1000) * 1000,
    rotateMs: num(q.rotate, 0, 3600, d.rotateMs / 1000) * 1000,
    enrolment: { ...d.enrolment },
    reloadAt: d.reloadAt,
    scale: SCALE_MODES.find((m) => m === first(q.scale)) ?? d.scale,
    nativeRem: num(q.rem, 8, 200, 0) || null,
    playlist: null,
    pageMs: num(q.page, 5, 3600, d.pageMs / 1000) * 1000,
    speed: num(q.speed, 1, 100_000, d.speed),
  };
  const enrol = typeof q.enrol === 'string' ? q.enrol.split('..') : [];
  if (enrol.length === 2 && MD.test(enrol[0]) && MD.test(enrol[1])) cfg.enrolment = { start: enrol[0], end: enrol[1] };
  const reload = first(q.reload);
  if (reload === 'off') cfg.reloadAt = null;
  const hms = typeof reload === 'string' ? HMS.exec(reload) : null;
  if (hms) cfg.reloadAt = { hour: Number(hms[1]), minute: Number(hms[2]), second: Number(hms[3] ?? 0) };
  const playlist = first(q.playlist);
  if (typeof playlist === 'string') {
    const entries = playlist.split(',').filter((e) => e === 'province' || e === 'cities' || UNIT.test(e));
    if (entries.length) cfg.playlist = entries;
  }
  return cfg;
}

/**
 * The playlist's pages as unit codes ('450000' for the province): 'cities' expands to every city
 * of the units tree in its order, and a code that is not a city of the tree is left out. Until the
 * tree is known (null) the codes are taken as given. Never empty: the province at least.
 */
export function playlistPages(entries: readonly PlaylistEntry[], cityCodes: readonly string[] | null, province: string): string[] {
  const known = cityCodes ? new Set(cityCodes) : null;
  const pages = entries.flatMap((e) => (e === 'province' ? [province] : e === 'cities' ? [...(cityCodes ?? [])] : !known || known.has(e) ? [e] : []));
  return pages.length ? pages : [province];
}

/**
 * Which turn a rotation is at: counted from the epoch, so a reloaded wall (or a second screen)
 * resumes at the same page without storing anything; `speed` runs the clock faster for soak tests.
 */
export function turnAt(nowMs: number, intervalMs: number, speed = 1): number {
  return intervalMs > 0 ? Math.floor((nowMs * speed) / intervalMs) : 0;
}

/** Milliseconds from `now` to the next hh:mm:ss of the screen's local time (tomorrow's when it has passed). */
export function msUntilDaily(now: Date, at: { hour: number; minute: number; second: number }): number {
  const next = new Date(now.getFullYear(), now.getMonth(), now.getDate(), at.hour, at.minute, at.second, 0);
  if (next.getTime() <= now.getTime()) next.setDate(next.getDate() + 1);
  return next.getTime() - now.getTime();
}

/** Native mode's root font size: whole CSS pixels, 16 for every 1080 pixels of the screen's shorter side. */
export function nativeRemPx(width: number, height: number, override: number | null): number {
  return override ?? Math.max(10, Math.floor((16 * Math.min(width, height)) / 1080));
}

/** The layout for a screen's shape: wide strips (3840x1080, 6656x1792), portrait (1080x1920), or the 16:9 design. */
export type WallLayout = 'standard' | 'wide' | 'portrait';
export function layoutFor(width: number, height: number): WallLayout {
  const aspect = width / height;
  return aspect >= 2.4 ? 'wide' : aspect < 1 ? 'portrait' : 'standard';
}

/**
 * A panel's "数据截至" month when its data ends before the wall's period: as-of is a month
 * (YYYY-MM or a YYYY-MM-DD day, compared by month) or a year (YYYY, compared by year). Null when
 * the panel is as current as the rest, or says nothing about its as-of.
 */
export function staleAsOf(asOf: string | null | undefined, wallPeriod: string | null | undefined): string | null {
  if (!asOf || !wallPeriod || !/^\d{4}(-\d{2})?/.test(asOf)) return null;
  if (/^\d{4}$/.test(asOf)) return asOf < wallPeriod.slice(0, 4) ? asOf : null;
  const month = asOf.slice(0, 7);
  return month < wallPeriod.slice(0, 7) ? month : null;
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
  /** the last month the value covers (a quarterly source runs to its last complete quarter) */
  to: string | null;
}

/** The eight headline tiles in the wall's order, as GET /api/overview gives them (empty until it answers). */
export function kpiTiles(overview: Overview | null): KpiTileModel[] {
  const served = new Map<KpiKey, Kpi>((overview?.kpis ?? []).map((k) => [k.key, k]));
  return KPI_ORDER.flatMap((key) => {
    const k = served.get(key);
    return k ? [{ key, unit: k.unit, value: k.value, target: k.target, met: k.met, lastYear: k.last_year, change: k.change, changeKind: k.change_kind, to: k.to }] : [];
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
