// The same files loaded onto copies of one warehouse in two ways whose outcomes must agree: as `etl load`
// loads them (small files merged in batches, big CSV files checked as they are read), and file by file
// through loadOne, the usual staging and check.
import { copyFile } from 'node:fs/promises';
import { loadFiles, loadOne, type FileSummary, type LoadSummary } from '../../etl/load.ts';

export async function loadOntoCopy(
  base: string,
  inputs: string[],
  warehouse: string,
  way: 'as-etl-load' | 'file-by-file',
): Promise<{ warehouse: string; summary: LoadSummary }> {
  await copyFile(base, warehouse);
  const summary = await loadFiles({
    warehouse,
    inputs,
    ...(way === 'file-by-file' ? { loadFile: (conn, file, scope, arrival) => loadOne(conn, file, undefined, scope, arrival) } : {}),
  });
  return { warehouse, summary };
}

/** A file's summary without its timing, which differs between any two loads. */
export const withoutTime = ({ seconds: _, ...f }: FileSummary) => f;
