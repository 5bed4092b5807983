// The fixture generator: deterministic, calibrated county files for every stream of the contract.
//
//   generate({ scale: 1, out: 'bench-data/s1' })   -> the province of Guangxi, about 17 million rows
//
// Same seed and options give byte-identical files (CSV and XLSX). Layout: OUT/<stream>/<stream>_<year>.csv
// or .xlsx (indicator_value: OUT/indicator_value/indicator_value_<set>_<year>.*), plus OUT/manifest.json
// listing every file with its format, encoding, style and, with --messy, every bad row (line, column).
// The streams fall into two parts that share nothing (every stream draws from random generators seeded
// by its own name): npm start generates them in two processes at once, each part alone gives the same
// files as a whole generation, and writeManifest joins the parts' manifests into the whole one.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { loadCatalog } from '../catalog/catalog.ts';
import { streams, type StreamName } from '../../core/contract.ts';
import { generateAssistance } from './assistance.ts';
import { DateTable, dayOf, makeWindow } from './calendar.ts';
import { generateClaims } from './claims.ts';
import type { GenContext } from './context.ts';
import { loadCounties } from './counties.ts';
import { generateEnrolment, memberTarget } from './enrolment.ts';
import { generateFunding } from './funding.ts';
import { generateIndicators } from './indicators.ts';
import { generateMediation } from './mediation.ts';
import { MessyInjector, type MessyContext } from './messy.ts';
import { Rng } from './random.ts';
import { planFiles, type FileSpec, type FileStyle } from './style.ts';
import { generateTraining } from './training.ts';
import { TypedRows, typedStream } from './typed-rows.ts';
import { Progress, TableWriter, type BadRow, type WrittenFile } from './writers.ts';

/** The two halves of a generation: the insurance streams (enrolment, and the claims drawn from its
 * members: most of the rows) and the others (their XLSX files cost the most per row). */
export const generationParts = {
  insurance: ['insurance_enrolment', 'insurance_claim'],
  others: ['funding', 'indicator_value', 'assistance', 'training', 'mediation'],
} as const satisfies Record<string, readonly StreamName[]>;
export type GenerationPart = keyof typeof generationParts;

export interface GenerateOptions {
  scale: number;
  /** Generate only this part's files and write no manifest (the result carries the part's, for
   * writeManifest); default: every stream, and OUT/manifest.json. */
  part?: GenerationPart;
  out: string;
  /** Default 1. */
  seed?: number;
  /** Replace a few percent of each file's rows with bad rows (recorded in the manifest). */
  messy?: boolean;
  /** Last month of data, 'YYYY-MM'; default the current month. No date is after its end nor after today. */
  until?: string;
  onProgress?: (done: number, total: number) => void;
  /** Called as soon as a file is complete, before the rest is generated (npm start loads it meanwhile):
   * the small streams when their stream is done, enrolment and claims year by year. */
  onFile?: (file: GeneratedFile) => void;
  /** 'YYYY-MM-DD' to stand in for today (tests); default the real date. */
  today?: string;
  /** A directory to write each file's rows into once more in plain form (typed-rows.ts), for npm
   * start's first load; not with messy. Each file's is named in onFile. */
  typedRows?: string;
  /** With typedRows: write the plain rows only, no styled file, for the streams that have them, and no
   * manifest (npm start serves from the plain rows, then generates again for the styled files); default true. */
  styled?: boolean;
}

export interface GeneratedFile {
  /** Relative to `out`, with forward slashes. */
  path: string;
  stream: StreamName;
  format: 'csv' | 'xlsx';
  encoding: 'utf8' | 'utf8-bom' | 'gb18030';
  rows: number;
  badRows: number;
  /** its rows in plain form (GenerateOptions.typedRows), absolute */
  typedRows?: string;
}

/** A manifest entry: the file, how it is written, and (messy) its bad rows. */
export interface ManifestFile extends GeneratedFile {
  year: number;
  set?: 'county47' | 'reform88';
  style: Omit<FileStyle, 'format' | 'encoding' | 'order'> & { columns: string[] };
  bad?: BadRow[];
}

export interface Manifest {
  seed: number;
  scale: number;
  until: string;
  messy: boolean;
  /** The last date any row may carry: the earlier of the end of `until` and the day it was generated. */
  cutoff: string;
  files: ManifestFile[];
}

export async function generate(opts: GenerateOptions): Promise<{ files: GeneratedFile[]; manifest: Manifest }> {
  const seed = opts.seed ?? 1;
  const scale = opts.scale;
  if (!(scale > 0) || !Number.isFinite(scale)) throw new Error(`scale: expected a positive number, got ${scale}`);
  if (!Number.isInteger(seed)) throw new Error(`seed: expected an integer, got ${seed}`);
  if (opts.typedRows && opts.messy) throw new Error('typedRows: not with messy files (their bad rows have no plain form)');
  if (opts.styled === false && !opts.typedRows) throw new Error('styled: false needs typedRows (the rows must be written somewhere)');
  // The CSV writers build rows as short-lived strings; a larger young generation lets them die there
  // instead of being promoted (measured: ~19 s -> ~16 s at scale 1). Only raises a ceiling.
  v8.setFlagsFromString('--max-semi-space-size=64');
  const today = opts.today ? new Date(`${opts.today}T00:00:00Z`) : new Date();
  const window = makeWindow(opts.until, today);
  const counties = loadCounties(seed);
  const catalog = loadCatalog();
  const dates = new DateTable(dayOf(2019, 1, 1), window.cutoff + 400);
  const part: ReadonlySet<StreamName> = new Set(opts.part ? generationParts[opts.part] : Object.keys(streams) as StreamName[]);
  const specs = planFiles(seed, window.years).filter((spec) => part.has(spec.stream));
  const progress = new Progress(expectedRows(opts), opts.onProgress);
  mkdirSync(opts.out, { recursive: true });

  const messyContext: MessyContext = {
    countyCodes: new Set(counties.codes),
    cityCodes: new Set(counties.cityCodes),
    indicatorCodes: new Set(catalog.indicators.map((i) => i.code)),
    computedByPeriod: {
      annual: catalog.indicators.filter((i) => i.source !== 'reported' && i.period === 'annual').map((i) => i.code),
      quarterly: catalog.indicators.filter((i) => i.source !== 'reported' && i.period === 'quarterly').map((i) => i.code),
      monthly: catalog.indicators.filter((i) => i.source !== 'reported' && i.period === 'monthly').map((i) => i.code),
    },
  };
  const writers = new Map<string, TableWriter>();
  const keyOf = (stream: StreamName, year: number, set?: string) => `${stream}/${year}/${set ?? ''}`;
  for (const spec of specs) {
    const messy = opts.messy
      ? new MessyInjector(seed, spec.path, spec.stream, spec.style, messyContext, 0.01 + 0.03 * new Rng(seed, 'messy-rate', spec.path).float())
      : null;
    const typed = opts.typedRows && typedStream(spec.stream) ? new TypedRows(path.join(opts.typedRows, `${spec.path}.rows`), spec.stream, dates) : null;
    const styled = opts.styled !== false || typed === null;
    writers.set(keyOf(spec.stream, spec.year, spec.set), new TableWriter(opts.out, spec.path, spec.stream, spec.style, dates, messy, progress, typed, styled));
  }
  const ctx: GenContext = {
    seed,
    scale,
    window,
    counties,
    dates,
    file(stream, year, set) {
      const w = writers.get(keyOf(stream, year, set));
      if (!w) throw new Error(`generator: no file planned for ${stream} ${year} ${set ?? ''}`);
      return w;
    },
  };

  // Each stream's files are closed (and reported) as soon as nothing more is written to them.
  const written = new Map<FileSpec, ManifestFile>();
  const closed = (spec: FileSpec, file: WrittenFile) => {
    const entry = manifestEntry(spec, file.rows, file.bad, opts.messy === true);
    written.set(spec, entry);
    opts.onFile?.({ ...generatedFile(entry), ...(file.typedRows ? { typedRows: file.typedRows } : {}) });
  };
  const closeStream = async (stream: StreamName) => {
    for (const spec of specs) if (spec.stream === stream && !written.has(spec)) closed(spec, await writers.get(keyOf(spec.stream, spec.year, spec.set))!.close());
  };
  // Enrolment and claims are CSV files written year by year inside one synchronous generation.
  const closeCsvYear = (stream: StreamName, year: number) => {
    const spec = specs.find((s) => s.stream === stream && s.year === year)!;
    closed(spec, writers.get(keyOf(stream, year))!.closeCsv());
  };

  const small: [StreamName, () => void][] = [
    ['funding', () => generateFunding(ctx)],
    ['indicator_value', () => generateIndicators(ctx, catalog)],
    ['assistance', () => generateAssistance(ctx)],
    ['training', () => generateTraining(ctx)],
    ['mediation', () => generateMediation(ctx)], // a case closed in January lands in the next year's file: closed after all years
  ];
  for (const [stream, generateStream] of small) {
    if (!part.has(stream)) continue;
    generateStream();
    await closeStream(stream);
  }
  if (part.has('insurance_enrolment')) {
    generateEnrolment(ctx, (members, county, traits) => {
      closeCsvYear('insurance_enrolment', members.year);
      generateClaims(ctx, members, county, traits);
      closeCsvYear('insurance_claim', members.year);
    });
  }
  const unclosed = specs.find((spec) => !written.has(spec));
  if (unclosed) throw new Error(`generator: ${unclosed.path} was never closed`);

  const manifestFiles = specs.map((spec) => written.get(spec)!);
  progress.finish();
  const manifest: Manifest = {
    seed,
    scale,
    until: window.until,
    messy: opts.messy === true,
    cutoff: new Date(window.cutoff * 86_400_000).toISOString().slice(0, 10),
    files: manifestFiles,
  };
  if (!opts.part && opts.styled !== false) writeManifest(opts.out, [manifest]); // none that lists files not written
  return { files: manifestFiles.map(generatedFile), manifest };
}

/** Writes OUT/manifest.json for a generation, from its whole manifest or its parts' (any order): the
 * files in the order of a whole generation's plan (stream, year, set), so both give the same bytes. */
export function writeManifest(out: string, parts: Manifest[]): void {
  const headOf = ({ files, ...head }: Manifest) => head;
  const head = headOf(parts[0]!);
  for (const other of parts.slice(1).map(headOf)) {
    if (JSON.stringify(other) !== JSON.stringify(head)) throw new Error(`manifest: parts of different generations (${JSON.stringify(head)}, ${JSON.stringify(other)})`);
  }
  const streamOrder = Object.keys(streams);
  const planOrder = (a: ManifestFile, b: ManifestFile) =>
    streamOrder.indexOf(a.stream) - streamOrder.indexOf(b.stream) || a.year - b.year || (a.set ?? '').localeCompare(b.set ?? '');
  writeFileSync(path.join(out, 'manifest.json'), manifestJson({ ...head, files: parts.flatMap((p) => p.files).sort(planOrder) }));
}

const generatedFile = ({ path: p, stream, format, encoding, rows, badRows }: ManifestFile): GeneratedFile => ({ path: p, stream, format, encoding, rows, badRows });

/** The manifest as JSON with one file, and one bad row, per line (messy manifests list ~10^5 bad rows at scale 1). */
function manifestJson(manifest: Manifest): string {
  const { files, ...head } = manifest;
  const lines = files.map(({ bad, ...file }) => {
    const text = JSON.stringify(file);
    if (!bad) return text;
    return `${text.slice(0, -1)},"bad":[${bad.length ? '\n    ' + bad.map((b) => JSON.stringify(b)).join(',\n    ') + '\n  ' : ''}]}`;
  });
  return `${JSON.stringify(head).slice(0, -1)},"files":[\n  ${lines.join(',\n  ')}\n]}\n`;
}

function manifestEntry(spec: FileSpec, rows: number, bad: BadRow[], messy: boolean): ManifestFile {
  const { format, encoding, order, ...style } = spec.style;
  const columns = order.map((i) => (spec.style.headers === 'zh' ? streamColumns(spec.stream)[i]!.zh : streamColumns(spec.stream)[i]!.name));
  const entry: ManifestFile = {
    path: spec.path,
    stream: spec.stream,
    format,
    encoding,
    rows,
    badRows: bad.length,
    year: spec.year,
    style: { ...style, columns },
  };
  if (spec.set) entry.set = spec.set;
  if (messy) entry.bad = bad;
  return entry;
}

function streamColumns(stream: StreamName) {
  return streams[stream].columns;
}

/** The rows a generation (or its `part`) is expected to write: what its progress counts toward, known
 * before it starts (npm start's progress adds both parts' from the first report on). */
export function expectedRows(opts: Pick<GenerateOptions, 'scale' | 'part' | 'until' | 'today'>): number {
  const today = opts.today ? new Date(`${opts.today}T00:00:00Z`) : new Date();
  const part: ReadonlySet<StreamName> = new Set(opts.part ? generationParts[opts.part] : Object.keys(streams) as StreamName[]);
  return estimateRows(opts.scale, makeWindow(opts.until, today).years, part);
}

/** Rows expected at a scale of the streams in `part` (for the progress bar only): a year's enrolment
 * and claims, then mediation, assistance and training, and per year some 8,000 funding and indicator rows. */
function estimateRows(scale: number, years: number[], part: ReadonlySet<StreamName>): number {
  let rows = 0;
  for (const y of years) {
    if (part.has('insurance_enrolment')) rows += (memberTarget(y) * 1.05 + 120_000) * scale;
    if (part.has('mediation')) rows += (100_000 + 30_000 + 210_000) * scale + 8_000;
  }
  return Math.round(rows);
}
