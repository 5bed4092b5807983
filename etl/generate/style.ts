// How each generated file looks: format, encoding, header language, column order, how enums, dates,
// amounts and booleans are written. Chosen per file from a seeded generator, then adjusted so that
// every variant the loader must handle appears at least once in every output (even the small sample).
import { streams, type StreamName } from '../../core/contract.ts';
import type { DateFormat } from './calendar.ts';
import { Rng } from './random.ts';

export interface FileStyle {
  format: 'csv' | 'xlsx';
  encoding: 'utf8' | 'utf8-bom' | 'gb18030';
  headers: 'zh' | 'en';
  /** Column indices of the stream (core/contract.ts) in the order they appear in the file. */
  order: number[];
  shuffled: boolean;
  /** Enum cells as the Chinese label, the English code, or a mix row by row (merged sheets). */
  enums: 'zh' | 'en' | 'mixed';
  /** Text dates in one contract form, or real Excel date cells (XLSX only). */
  dates: DateFormat | 'cell';
  /** plain `12345.6`, fixed `12345.60`, comma `12,345.60` (quoted in CSV), number: numeric XLSX cells. */
  amounts: 'plain' | 'fixed' | 'comma' | 'number';
  bools: 'zh' | 'yesno' | 'truefalse' | '10';
  /** Percent indicator values written with a % sign (`95.2%`). */
  percentSign: boolean;
  eol: '\n' | '\r\n';
  /** XLSX: a notes sheet (说明) comes first and the data sheet is named after the stream. */
  notesSheet: boolean;
  sheetName: string;
}

export interface FileSpec {
  stream: StreamName;
  year: number;
  /** Path relative to the output directory. */
  path: string;
  /** indicator_value files are split by indicator set. */
  set?: 'county47' | 'reform88';
  style: FileStyle;
}

export const bigStreams: readonly StreamName[] = ['insurance_enrolment', 'insurance_claim', 'mediation', 'training'];
const xlsxShare: Partial<Record<StreamName, number>> = { funding: 0.7, indicator_value: 0.5, assistance: 0.5 };

/** The files of one generation, with their styles. Depends on the seed and the years only, not the scale. */
export function planFiles(seed: number, years: number[]): FileSpec[] {
  const specs: FileSpec[] = [];
  const formatRng = new Rng(seed, 'formats');
  for (const stream of Object.keys(streams) as StreamName[]) {
    for (const year of years) {
      const sets = stream === 'indicator_value' ? (['county47', 'reform88'] as const) : [undefined];
      for (const set of sets) {
        const format = formatRng.chance(xlsxShare[stream] ?? 0) ? 'xlsx' : 'csv';
        const base = set ? `${stream}_${set}_${year}` : `${stream}_${year}`;
        specs.push({ stream, year, set, path: `${stream}/${base}.${format}`, style: defaultStyle(stream, format) });
      }
    }
  }
  // The small streams must have at least one XLSX and one CSV each when there are two or more years.
  for (const stream of Object.keys(xlsxShare) as StreamName[]) {
    const own = specs.filter((s) => s.stream === stream);
    if (own.length < 2) continue;
    for (const format of ['xlsx', 'csv'] as const) {
      if (!own.some((s) => s.style.format === format)) setFormat(own[format === 'xlsx' ? own.length - 1 : 0]!, format);
    }
  }
  assignStyles(seed, specs);
  return specs;
}

function setFormat(spec: FileSpec, format: 'csv' | 'xlsx'): void {
  spec.style = defaultStyle(spec.stream, format);
  spec.path = spec.path.replace(/\.(csv|xlsx)$/, `.${format}`);
}

function defaultStyle(stream: StreamName, format: 'csv' | 'xlsx'): FileStyle {
  return {
    format,
    encoding: 'utf8',
    headers: 'zh',
    order: streams[stream].columns.map((_, i) => i),
    shuffled: false,
    enums: 'zh',
    dates: 'iso',
    amounts: format === 'xlsx' ? 'number' : 'fixed',
    bools: 'zh',
    percentSign: false,
    eol: '\n',
    notesSheet: false,
    sheetName: 'Sheet1',
  };
}

/**
 * Gives each attribute a seeded value per file, forcing every variant onto at least one eligible file
 * first (in a seeded order), so coverage never depends on luck.
 */
function assign<T>(rng: Rng, files: FileSpec[], variants: readonly T[], weights: readonly number[], set: (f: FileSpec, v: T) => void): void {
  const order = rng.shuffle([...files]);
  const total = weights.reduce((a, b) => a + b, 0);
  order.forEach((file, k) => {
    if (k < variants.length && files.length >= variants.length) return set(file, variants[k]!);
    let u = rng.float() * total;
    let i = 0;
    while ((u -= weights[i]!) >= 0 && i < variants.length - 1) i++;
    set(file, variants[i]!);
  });
}

function assignStyles(seed: number, specs: FileSpec[]): void {
  const rng = new Rng(seed, 'styles');
  const csv = specs.filter((s) => s.style.format === 'csv');
  const xlsx = specs.filter((s) => s.style.format === 'xlsx');
  const big = csv.filter((s) => bigStreams.includes(s.stream));
  const smallCsv = csv.filter((s) => !bigStreams.includes(s.stream));

  // GB18030: Excel on a Chinese Windows saves CSV this way. A few big-stream files (different
  // streams) and one small-stream CSV; such files carry Chinese headers and labels and CRLF.
  const gb: FileSpec[] = [];
  for (const stream of rng.shuffle([...bigStreams]).slice(0, 3)) {
    const own = big.filter((s) => s.stream === stream);
    if (own.length > 0) gb.push(rng.pick(own));
  }
  if (smallCsv.length > 0) gb.push(rng.pick(smallCsv));
  for (const f of gb) {
    f.style.encoding = 'gb18030';
    f.style.headers = 'zh';
    f.style.enums = 'zh';
    f.style.eol = '\r\n';
  }
  const free = specs.filter((s) => !gb.includes(s));
  const freeCsv = csv.filter((s) => !gb.includes(s));
  assign(rng, free, ['zh', 'en'] as const, [55, 45], (f, v) => (f.style.headers = v));
  assign(rng, specs, [true, false], [30, 70], (f, v) => {
    f.style.shuffled = v;
    if (v) {
      const fileRng = new Rng(seed, 'order', f.path);
      const order = f.style.order;
      // A shuffle that leaves the order unchanged is not a shuffle: rotate instead.
      fileRng.shuffle(order);
      if (order.every((c, i) => c === i)) order.push(order.shift()!);
    }
  });
  assign(rng, free, ['zh', 'en', 'mixed'] as const, [50, 35, 15], (f, v) => (f.style.enums = v));
  assign(rng, csv, ['iso', 'slash', 'dot', 'zh'] as const, [40, 30, 15, 15], (f, v) => (f.style.dates = v));
  assign(rng, xlsx, ['cell', 'iso', 'slash', 'zh'] as const, [60, 15, 15, 10], (f, v) => (f.style.dates = v));
  assign(rng, csv, ['fixed', 'comma', 'plain'] as const, [50, 25, 25], (f, v) => (f.style.amounts = v));
  assign(rng, xlsx, ['number', 'comma'] as const, [80, 20], (f, v) => (f.style.amounts = v));
  assign(rng, specs.filter((s) => s.stream === 'training'), ['zh', 'yesno', 'truefalse', '10'] as const, [40, 20, 20, 20], (f, v) => (f.style.bools = v));
  assign(rng, specs.filter((s) => s.stream === 'indicator_value'), [true, false], [30, 70], (f, v) => (f.style.percentSign = v));
  assign(rng, freeCsv, ['\n', '\r\n'] as const, [70, 30], (f, v) => (f.style.eol = v));
  assign(rng, xlsx, [true, false], [40, 60], (f, v) => (f.style.notesSheet = v));
  assign(rng, freeCsv, ['utf8', 'utf8-bom'] as const, [70, 30], (f, v) => (f.style.encoding = v));
  for (const f of xlsx) {
    f.style.encoding = 'utf8';
    f.style.sheetName = f.style.notesSheet ? f.stream : rng.pick(['Sheet1', streams[f.stream].zh, String(f.year)]);
  }
}
