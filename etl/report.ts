// What a data officer gets back from a load: a summary table on the terminal (with the rows set aside
// as not records: titles, totals, footers), and per file with rejects a CSV (UTF-8 with BOM, so Excel
// shows the Chinese) holding the rejected rows as sent plus their problems (etl/rejects-file.ts). The
// fixed file can be sent back as is.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FileSummary, LoadSummary } from './load.ts';
import { neutralise } from '../core/formula-guard.ts';
import { PROBLEMS, SOURCE_LINE } from './rejects-file.ts';

const csvField = (s: string | number | null) => {
  const t = s === null ? '' : typeof s === 'number' ? String(s) : neutralise(s);
  return /[",\r\n]/.test(t) ? `"${t.replaceAll('"', '""')}"` : t;
};

export function rejectsCsv(file: FileSummary): string {
  const headers = [...new Set(file.rejectedRows.flatMap((r) => Object.keys(r.values)))];
  const lines = [[...headers, SOURCE_LINE, PROBLEMS].map(csvField).join(',')];
  for (const r of file.rejectedRows) {
    lines.push([...headers.map((h) => r.values[h] ?? ''), r.line, r.problems].map(csvField).join(','));
  }
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

/** Write summary.json and one <file>.rejects.csv per file with rejects into `dir`; returns the paths. */
export async function writeReport(summary: LoadSummary, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  const used = new Set<string>();
  for (const f of summary.files) {
    if (f.rejectedRows.length === 0) continue;
    let name = path.basename(f.file).replace(/\.(csv|xlsx|xls)$/i, '') + '.rejects.csv';
    while (used.has(name)) name = '_' + name;
    used.add(name);
    const out = path.join(dir, name);
    await writeFile(out, rejectsCsv(f));
    written.push(out);
  }
  const json = path.join(dir, 'summary.json');
  await writeFile(json, JSON.stringify(jsonSummary(summary), null, 2));
  written.push(json);
  return written;
}

/** The machine-readable summary `--json` prints. */
export function jsonSummary(summary: LoadSummary) {
  return {
    warehouse: summary.warehouse,
    seconds: Number(summary.seconds.toFixed(2)),
    published: summary.published, // false: no row was accepted, nothing published (exit code 1)
    engine: summary.engine, // the years the indicator engine remade
    stages: summary.stages, // seconds per stage of the build (etl/stages.ts)
    files: summary.files.map((f) => ({
      file: f.file,
      stream: f.stream,
      format: f.format,
      encoding: f.encoding,
      seconds: Number(f.seconds.toFixed(3)),
      read: f.read,
      accepted: f.accepted,
      rejected: f.rejected,
      skipped: f.skipped,
      blank: f.blank,
      replaced: f.replaced,
      unchanged: f.unchanged,
      ignoredColumns: f.ignoredColumns,
      rejects: f.rejects,
      rejectsTruncated: f.rejectsTruncated,
    })),
  };
}

/** How many skipped rows and rejects the table lists per file (all of them are in the JSON summary and the rejects file). */
const LISTED = 10;

/** The first LISTED of `items` as the table shows them, and how many more there are (`atLeast`: the items are themselves the first of more). */
function firstListed<T>(items: T[], line: (item: T) => string, atLeast = false): string {
  const listed = items.slice(0, LISTED).map(line);
  if (items.length > LISTED || atLeast) listed.push(`… ${items.length - listed.length}${atLeast ? '+' : ''} more`);
  return listed.join('; ');
}

/** One row per file, or with `byStream` one row per stream (for loads of many files). */
export function summaryTable(summary: LoadSummary, byStream = false): string {
  const head = [byStream ? 'files' : 'file', 'stream', 'read', 'accepted', 'rejected', 'skipped', 'blank', 'replaced', 'unchanged'];
  const counts = (f: FileSummary) => [f.read, f.accepted, f.rejected, f.skipped.length, f.blank, f.replaced, f.unchanged];
  let body = summary.files.map((f) => [path.basename(f.file), f.stream, ...counts(f)].map(String));
  if (byStream) {
    const streams = [...new Set(summary.files.map((f) => f.stream))];
    body = streams.map((stream) => {
      const files = summary.files.filter((f) => f.stream === stream);
      const sums = files.map(counts).reduce((a, b) => a.map((x, i) => x + b[i]));
      return [String(files.length), stream, ...sums.map(String)];
    });
  }
  const total = ['total', '', ...[2, 3, 4, 5, 6, 7, 8].map((i) => String(body.reduce((s, r) => s + Number(r[i]), 0)))];
  const all = [head, ...body, total];
  const widths = head.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const lines = [fmt(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(fmt), fmt(total)];
  for (const f of summary.files) {
    if (f.ignoredColumns.length) lines.push(`${path.basename(f.file)}: 已忽略的列 / ignored columns: ${f.ignoredColumns.join(', ')}`);
    if (f.skipped.length) {
      lines.push(`${path.basename(f.file)}: 已跳过的行 / skipped rows: ${firstListed(f.skipped, (k) => `第${k.line}行 line ${k.line}: ${k.reason}`)}`);
    }
    // The first rejects where the officer looks first; every one is in the rejects file.
    if (f.rejects.length) {
      const listed = firstListed(f.rejects, (r) => `第${r.line}行 line ${r.line}${r.column ? ` ${r.column}` : ''}: ${r.reason}`, f.rejectsTruncated);
      lines.push(`${path.basename(f.file)}: 被拒的值 / rejects: ${listed}`);
    }
  }
  return lines.join('\n');
}
