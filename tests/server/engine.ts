// The engine's own numbers, read straight from the warehouse tables of the snapshot the app serves,
// for tests that pin an endpoint's figure to the engine's (issue 10: one home for every number).
import { sql } from 'kysely';
import type { App } from '../../server/app.ts';

function db(app: App) {
  const snapshot = app.warehouse.current;
  if (!snapshot) throw new Error('the app serves no snapshot');
  return snapshot.db;
}

/** metric_value.value of a unit, metric and window ('ytd' / 'month' / 'year' + period), or undefined without a row. */
export async function metricValue(app: App, unit: string, metric: string, kind: string, period: string): Promise<number | null | undefined> {
  const r = await sql<{ value: number | null }>`SELECT value FROM metric_value
    WHERE unit_code = ${unit} AND metric = ${metric} AND period_kind = ${kind} AND period = ${period}`.execute(db(app));
  return r.rows[0]?.value;
}

/** Every overview_tile row of a unit and month, keyed by tile. */
export async function tiles(app: App, unit: string, period: string): Promise<Map<string, Record<string, unknown>>> {
  const key = Number(period.slice(0, 4)) * 100 + Number(period.slice(5, 7));
  const r = await sql<Record<string, unknown>>`SELECT * FROM overview_tile WHERE unit_code = ${unit} AND month_key = ${key}`.execute(db(app));
  return new Map(r.rows.map((row) => [row.tile as string, row]));
}

/** indicator_score.value of a unit, scoring period and indicator. */
export async function indicatorScoreValue(app: App, unit: string, period: string, code: string): Promise<number | null | undefined> {
  const r = await sql<{ value: number | null }>`SELECT value FROM indicator_score
    WHERE unit_code = ${unit} AND period = ${period} AND indicator_code = ${code}`.execute(db(app));
  return r.rows[0]?.value;
}
