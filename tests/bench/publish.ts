// Small-publish benchmark (issue 12, target 1; not part of npm test): on a copy of the scale-1
// warehouse, `npm run etl -- load` of one month (the province's mediation cases of the latest complete
// month, every 10th decided case's outcome turned, as a re-sent month) against `npm run etl -- rebuild`
// of the same warehouse (every mart and score made from all the facts) in the same run: wall time and
// peak RSS (VmHWM) of each command's own process, both run as `npm run etl` runs them (etl-cli.ts).
// Targets: the month <= 3 s and < 512 MiB.
//   npm run bench -- publish [--scale S]   (default 1)
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { lit, rows } from '../../etl/duck.ts';
import { prepareEtl, runEtl } from './etl-cli.ts';
import { latestCompleteMonth, scaleOption, scaleWarehouse } from './scale1.ts';

/** Write the latest complete month's mediation cases of `warehouse` to `file` as a re-sent month. */
async function writeMonth(warehouse: string, file: string): Promise<{ month: string; cases: number }> {
  const db = await DuckDBInstance.create(warehouse, { access_mode: 'READ_ONLY' });
  const conn = await db.connect();
  try {
    const month = await latestCompleteMonth(conn);
    const start = `${lit(`${month}-01`)}::DATE`;
    await conn.run(
      `COPY (
         SELECT case_id, county_code, strftime(received_date, '%Y-%m-%d') AS received_date, strftime(closed_date, '%Y-%m-%d') AS closed_date,
                dispute_type::VARCHAR AS dispute_type, channel::VARCHAR AS channel,
                CASE WHEN row_number() OVER (ORDER BY case_id) % 10 = 0 AND outcome IN ('success', 'failed')
                     THEN CASE outcome WHEN 'success' THEN 'failed' ELSE 'success' END ELSE outcome::VARCHAR END AS outcome,
                workers, amount_yuan::VARCHAR AS amount_yuan
         FROM fact_mediation WHERE received_date >= ${start} AND received_date < ${start} + INTERVAL 1 MONTH ORDER BY case_id
       ) TO ${lit(file)} (HEADER, DELIMITER ',')`,
    );
    const [{ n }] = await rows<{ n: number }>(conn, `SELECT count(*)::INTEGER AS n FROM read_csv(${lit(file)})`);
    return { month, cases: n };
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

export async function benchPublish(args: string[] = []): Promise<void> {
  const scale = scaleOption(args);
  const source = await scaleWarehouse(scale);
  const dir = await mkdtemp(path.join(tmpdir(), 'uc-bench-publish-'));
  try {
    const warehouse = path.join(dir, 'warehouse.duckdb');
    await copyFile(source, warehouse);
    const file = path.join(dir, 'mediation-month.csv');
    const { month, cases } = await writeMonth(warehouse, file);
    await prepareEtl();
    const loadBefore = loadavg()[0];
    const load = await runEtl(['load', file, '--warehouse', warehouse, '--json', '--report', path.join(dir, 'reports')]);
    const full = await runEtl(['rebuild', '--warehouse', warehouse]);
    const loadAfter = loadavg()[0];
    console.log(`\nsmall publish at scale ${scale}: one month (${month}, ${cases.toLocaleString('en')} mediation cases, every 10th decided outcome turned)`);
    console.log(`  etl load of the month   ${load.seconds.toFixed(2).padStart(7)} s  peak RSS ${load.peakMiB.toFixed(0).padStart(5)} MiB   (targets <= 3 s, < 512 MiB)`);
    console.log(`  etl rebuild (all)       ${full.seconds.toFixed(2).padStart(7)} s  peak RSS ${full.peakMiB.toFixed(0).padStart(5)} MiB`);
    console.log(`  ratio month / full rebuild: time ${(load.seconds / full.seconds).toFixed(2)}x, RSS ${(load.peakMiB / full.peakMiB).toFixed(2)}x`);
    // Other work on the machine stretches both runs: the ratio is the comparable figure.
    console.log(`  machine load (1-minute average): ${loadBefore.toFixed(1)} before the month, ${loadAfter.toFixed(1)} after the rebuild`);
    // Where the month's seconds went (etl/stages.ts); the rest of the wall time is the process's start.
    const summary = JSON.parse(load.stdout) as { seconds: number; stages: Record<string, number>; engine: { engineFromYear: number | null; engineFromMonth: number | null } };
    const stages = Object.entries(summary.stages).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ');
    console.log(`  the month's stages (s): ${stages}; process start and exit ${(load.seconds - summary.seconds).toFixed(2)}; engine from ${summary.engine.engineFromYear}, scores from ${summary.engine.engineFromMonth}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
