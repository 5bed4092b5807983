// What every stream generator gets: the options, the time window, the county profiles and a way to
// reach the writer of a (stream, year) file.
import type { StreamName } from '../../core/contract.ts';
import type { DateTable, Window } from './calendar.ts';
import type { Counties } from './counties.ts';
import type { TableWriter } from './writers.ts';

export interface GenContext {
  seed: number;
  /** 1 = the province of Guangxi; every volume scales linearly (funding and indicator reports do not: they are per unit). */
  scale: number;
  window: Window;
  counties: Counties;
  dates: DateTable;
  file(stream: StreamName, year: number, set?: 'county47' | 'reform88'): TableWriter;
}

/** Index of an enum value (its English code) in the column's value list, as writers expect it. */
export function enumIndex(values: Record<string, string>): Record<string, number> {
  return Object.fromEntries(Object.keys(values).map((k, i) => [k, i]));
}

/** A scaled count: round(base * scale). */
export function scaled(base: number, scale: number): number {
  return Math.round(base * scale);
}

/**
 * Days of a month that may carry data and the share of the month they are: months after the cutoff
 * have none, the cutoff month only its days up to the cutoff.
 */
export function monthSpan(ctx: GenContext, first: number, days: number): { days: number; share: number } {
  const cutoff = ctx.window.cutoff;
  if (first > cutoff) return { days: 0, share: 0 };
  const usable = Math.min(days, cutoff - first + 1);
  return { days: usable, share: usable / days };
}
