// Where a load's data came from and when it arrived. A central CLI load arrives when it starts; a
// county submission arrives when the county submitted it (the reporting loop passes that time), even
// if it is published later. load_batch keeps both per file; report_arrival remembers the first batch
// of each report, from which 95-data-quality.sql judges punctuality.
import type { DuckDBConnection } from '@duckdb/node-api';
import { lit, run } from './duck.ts';

export type ArrivalSource = 'central' | 'county';

export interface Arrival {
  source: ArrivalSource;
  /** ISO 8601 time with an offset or Z (e.g. 2026-01-12T09:30:00+08:00); a central load may omit it (now). */
  at?: string;
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** The SQL TIMESTAMP of an arrival, in the session's time zone like now()::TIMESTAMP. Throws naming the bad field. */
export function arrivalTimeSql(arrival: Arrival): string {
  if (arrival.source !== 'central' && arrival.source !== 'county') {
    throw new Error(`arrival.source: 'central' or 'county', not ${JSON.stringify(arrival.source)}`);
  }
  if (arrival.at === undefined) {
    if (arrival.source === 'county') throw new Error('arrival.at: a county arrival needs the time the county submitted it');
    return 'now()::TIMESTAMP';
  }
  if (!ISO_TIME.test(arrival.at) || Number.isNaN(Date.parse(arrival.at))) {
    throw new Error(`arrival.at: not an ISO 8601 time with an offset (2026-01-12T09:30:00+08:00): ${JSON.stringify(arrival.at.slice(0, 80))}`);
  }
  return `${lit(arrival.at)}::TIMESTAMPTZ::TIMESTAMP`;
}

/** Record the reports this batch brought for the first time; reports that arrived earlier keep their batch. */
export async function recordReportArrivals(conn: DuckDBConnection, batchId: number): Promise<void> {
  await run(
    conn,
    `INSERT OR IGNORE INTO report_arrival
       SELECT indicator_code, unit_code, period, batch_id FROM fact_indicator_value WHERE batch_id = ${batchId}`,
  );
}
