// The same files loaded onto copies of one warehouse in two ways whose outcomes must agree: as `etl load`
// loads them (small files merged in batches, big CSV files checked as they are read), and file by file
// through loadOne, the usual staging and check. `countyOf`: each file is a county's (a publish), checked
// with that county's rule (etl/own-county.ts) both ways.
import { copyFile } from 'node:fs/promises';
import { loadFiles, loadOne, type FileSummary, type LoadSummary } from '../../etl/load.ts';
import { ownCountyRule } from '../../etl/own-county.ts';

export async function loadOntoCopy(
  base: string,
  inputs: string[],
  warehouse: string,
  way: 'as-etl-load' | 'file-by-file',
  countyOf?: (file: string) => string,
): Promise<{ warehouse: string; summary: LoadSummary }> {
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
