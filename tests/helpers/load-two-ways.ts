// The same files loaded onto copies of one warehouse in two ways whose outcomes must agree: as `etl load`
// loads them (small files merged in batches, big CSV files checked as they are read), and file by file
// through loadOne, the usual staging and check. `countyOf`: each file is a county's (a publish), checked
// with that county's rule (etl/own-county.ts) both ways.
import { copyFile } from 'node:fs/promises';
import { loadFiles, loadOne, type FileSummary, type LoadSummary } from '../../etl/load.ts';
import { ownCountyRule } from '../../etl/own-county.ts';

/** A load onto a copy: the copy, and the load's summary. */
export type LoadedCopy = { warehouse: string; summary: LoadSummary };

/** The columns that hold when a load ran, which differ between any two loads (warehouseDifferences' `clocks`). */
export const LOAD_CLOCK = { load_batch: ['started_at', 'finished_at', 'arrived_at'], report_status: ['arrived_at'], load_reject_summary: ['started_at'] };

export async function loadOntoCopy(
  base: string,
  inputs: string[],
  warehouse: string,
  way: 'as-etl-load' | 'file-by-file',
  countyOf?: (file: string) => string,
): Promise<LoadedCopy> {
  await copyFile(base, warehouse);
  const rule = (file: string) => (countyOf ? ownCountyRule(countyOf(file), 'main') : undefined);
  const summary = await loadFiles({
    warehouse,
    inputs,
    ...(way === 'file-by-file'
      ? { loadFile: (conn, file, scope, arrival) => loadOne(conn, file, undefined, scope, arrival, rule(file)) }
      : { countyOf }),
  });
  return { warehouse, summary };
}

/** A file's summary without its timing, which differs between any two loads. */
export const withoutTime = ({ seconds: _, ...f }: FileSummary) => f;
