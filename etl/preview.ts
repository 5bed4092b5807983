// What a county's submission would change, for the reviewer, before anything is published: the
// county's current rows of the stream are copied from the live snapshot (attached read-only) into an
// in-memory warehouse, the submission is merged over them by key with loadOne (as `etl load` would),
// and the stream's headline figure for the county is read from the engine's own metric layer
// (sql/marts and sql/indicators 05-20, the same files every snapshot is built with) before and after.
// Nothing here computes a figure: the SQL does.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { sqlDir } from '../core/paths.ts';
import { reportingUnitColumn, streams, type StreamName } from '../core/contract.ts';
import { ident, lit, rows, run } from './duck.ts';
import { loadOne, type ExtraRuleFor } from './load.ts';
import { initWarehouse, runSqlDir } from './warehouse.ts';

/** Each stream's headline metric (sql/indicators/20-metric-values.sql); indicator values have none. */
export const HEADLINE_METRIC: Record<StreamName, string | null> = {
  mediation: 'mediation_success_rate',
  insurance_enrolment: 'members',
  insurance_claim: 'claims_paid_amount',
  assistance: 'assistance_resolved_rate',
  training: 'training_participants',
  funding: 'strengthening_subsidy_disbursed_rate',
  indicator_value: null,
};

/** The metric layer's files: the marts, then the macros, periods and metric values (not the scores). */
const METRIC_FILES = ['05-macros.sql', '10-periods.sql', '20-metric-values.sql'];

export interface PreviewJob {
  cmd: 'preview';
  file: string;
  stream: StreamName;
  county: string;
  /** the live warehouse (absent or missing: the county has no rows yet) */
  warehouse?: string;
}

export interface FigureValue {
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  null_reason: string | null;
}

export interface PreviewResult {
  stream: StreamName;
  county_code: string;
  county_name: string;
  /** null for a stream without a headline metric (indicator values) or a file without good rows */
  figure: {
    metric: string;
    name_zh: string;
    name_en: string;
    /** the catalog's unit of the metric: percent, count, yuan, days */
    unit: string;
    /** the window: 1 January to the end of the latest month the submission touches */
    from: string;
    to: string;
    before: FigureValue;
    after: FigureValue;
  } | null;
  new_rows: number;
  replaced_rows: number;
  unchanged_rows: number;
  rejected_rows: number;
}

async function metricLayer(conn: DuckDBConnection): Promise<void> {
  await runSqlDir(conn, path.join(sqlDir, 'marts'));
  for (const f of METRIC_FILES) await run(conn, await readFile(path.join(sqlDir, 'indicators', f), 'utf8'));
}

async function figureValue(conn: DuckDBConnection, metric: string, county: string, month: string): Promise<FigureValue> {
  await metricLayer(conn);
  const [v] = await rows<FigureValue>(
    conn,
    `SELECT value::DOUBLE AS value, numerator::DOUBLE AS numerator, denominator::DOUBLE AS denominator, null_reason
     FROM metric_value WHERE unit_code = ${lit(county)} AND metric = ${lit(metric)} AND period_kind = 'ytd' AND period = ${lit(month)}`,
  );
  return v ?? { value: null, numerator: null, denominator: null, null_reason: 'no_records' };
}

/**
 * `ownRule`: the check's rule (only the county's own rows, no key another county has filed), so the
 * rows merged here are the ones the check accepted. `months`: the months the submission touches.
 */
export async function previewSubmission(job: PreviewJob, months: string[], ownRule: (live: boolean) => ExtraRuleFor): Promise<PreviewResult> {
  const stream = streams[job.stream];
  const column = reportingUnitColumn(stream).name;
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    await initWarehouse(conn);
    const live = !!job.warehouse && existsSync(job.warehouse);
    if (live) {
      await run(conn, `ATTACH ${lit(job.warehouse!)} AS live (READ_ONLY)`);
      // The batches too: the merge tells rows of this load from earlier ones by batch id.
      await run(
        conn,
        `INSERT INTO load_batch BY NAME SELECT * FROM live.load_batch;
         INSERT INTO ${stream.table} BY NAME SELECT * FROM live.${stream.table} WHERE ${ident(column)} = ${lit(job.county)};`,
      );
    }
    const [{ next }] = await rows<{ next: number }>(conn, `SELECT (coalesce(max(batch_id), 0) + 1)::INTEGER AS next FROM load_batch`);
    const metric = HEADLINE_METRIC[job.stream];
    const month = months.at(-1);
    const before = metric && month ? await figureValue(conn, metric, job.county, month) : null;
    let summary;
    try {
      summary = await loadOne(conn, job.file, job.stream, { firstBatch: next }, { source: 'central' }, ownRule(live));
    } finally {
      if (live) await run(conn, 'DETACH live');
    }
    const after = metric && month ? await figureValue(conn, metric, job.county, month) : null;
    const [names] = await rows<{ county_name: string; name_zh: string | null; name_en: string | null; unit: string | null }>(
      conn,
      `SELECT c.county_name, i.name_zh, i.name_en, i.unit
       FROM dim_county c LEFT JOIN (SELECT * FROM dim_indicator WHERE metric = ${lit(metric ?? '')} ORDER BY indicator_set, sort_order LIMIT 1) i ON true
       WHERE c.county_code = ${lit(job.county)}`,
    );
    return {
      stream: job.stream,
      county_code: job.county,
      county_name: names?.county_name ?? job.county,
      figure:
        metric && month && before && after
          ? { metric, name_zh: names?.name_zh ?? metric, name_en: names?.name_en ?? metric, unit: names?.unit ?? 'count', from: `${month.slice(0, 4)}-01`, to: month, before, after }
          : null,
      new_rows: summary.accepted - summary.replaced - summary.unchanged,
      replaced_rows: summary.replaced,
      unchanged_rows: summary.unchanged,
      rejected_rows: summary.rejected,
    };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
