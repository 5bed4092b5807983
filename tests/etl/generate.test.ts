// The fixture generator (etl/generate): determinism, calibration at a reduced scale and mediation's
// published figures at full scale, seasons and trends that make the lines live, contract conformance of
// every row, and the messy manifest. Files are read back here directly (a small CSV/XLSX
// reader and a contract checker written from DATA-CONTRACT.md and core/contract.ts), not through
// the loader, so a loader bug cannot hide a generator bug or the other way round.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../etl/catalog/catalog.ts';
import { enums, streams, type Column, type StreamName } from '../../core/contract.ts';
import { DateTable, makeWindow } from '../../etl/generate/calendar.ts';
import type { GenContext } from '../../etl/generate/context.ts';
import { loadCounties } from '../../etl/generate/counties.ts';
import { generate, generationParts, writeManifest, type Manifest, type ManifestFile } from '../../etl/generate/index.ts';
import { generateMediation } from '../../etl/generate/mediation.ts';
import { springFestival } from '../../etl/generate/season.ts';
import type { TableWriter } from '../../etl/generate/writers.ts';

const referenceDir = path.resolve(import.meta.dirname, '../../fixtures/reference');
const countyCodes = new Set(readFileSync(path.join(referenceDir, 'guangxi-counties.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]!));
const cityCodes = new Set(readFileSync(path.join(referenceDir, 'guangxi-cities.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]!));
const catalog = loadCatalog();

// ---------------------------------------------------------------------------------------------
// Reading files back

type Cell = string | number | Date | null;
interface Table {
  encoding: 'utf8' | 'utf8-bom' | 'gb18030' | 'xlsx';
  header: string[];
  rows: { line: number; cells: Cell[] }[];
}

function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') out.push(field), (field = '');
    else field += c;
  }
  out.push(field);
  return out;
}

async function readTable(file: string): Promise<Table> {
  if (file.endsWith('.xlsx')) {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const names = new Set(Object.keys(streams));
    const ws = wb.worksheets.find((w) => names.has(w.name)) ?? wb.worksheets[0]!;
    const width = ws.columnCount;
    const rows: Table['rows'] = [];
    let header: string[] = [];
    ws.eachRow({ includeEmpty: false }, (row, line) => {
      const cells: Cell[] = [];
      for (let c = 1; c <= width; c++) cells.push((row.getCell(c).value ?? null) as Cell);
      if (line === 1) header = cells.map(String);
      else rows.push({ line, cells });
    });
    return { encoding: 'xlsx', header, rows };
  }
  const bytes = readFileSync(file);
  let encoding: Table['encoding'];
  let text: string;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    encoding = 'utf8-bom';
    text = bytes.subarray(3).toString('utf8');
  } else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      encoding = 'utf8';
    } catch {
      text = iconv.decode(bytes, 'gb18030');
      encoding = 'gb18030';
    }
  }
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return {
    encoding,
    header: splitCsvLine(lines[0]!),
    rows: lines.slice(1).map((l, i) => ({ line: i + 2, cells: splitCsvLine(l) })),
  };
}

// ---------------------------------------------------------------------------------------------
// The contract, checked from DATA-CONTRACT.md

const DAY = 86_400_000;
type Value = string | number | boolean | null;
interface Problem {
  column: string;
  reason: string;
}

function parseDate(cell: Cell): number | undefined {
  if (cell instanceof Date) return Math.round(cell.getTime() / DAY);
  const s = String(cell);
  const m =
    /^(\d{4})-(\d{2})-(\d{2})$/.exec(s) ?? /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/.exec(s) ?? /^(\d{4})\.(\d{1,2})\.(\d{1,2})$/.exec(s) ?? /^(\d{4})年(\d{1,2})月(\d{1,2})日$/.exec(s);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return undefined;
  return t.getTime() / DAY;
}

function parseAmount(cell: Cell): number | undefined {
  if (typeof cell === 'number') {
    const fen = Math.round(cell * 100);
    return cell >= 0 && Math.abs(fen - cell * 100) < 1e-6 ? fen : undefined;
  }
  const s = String(cell);
  if (!/^(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$/.test(s)) return undefined;
  return Math.round(Number(s.replaceAll(',', '')) * 100);
}

const enumMaps = new Map<Record<string, string>, Map<string, string>>();
function enumLookup(values: Record<string, string>): Map<string, string> {
  let map = enumMaps.get(values);
  if (!map) {
    map = new Map(Object.entries(values).flatMap(([en, zh]) => [[en, en], [zh, en]] as [string, string][]));
    enumMaps.set(values, map);
  }
  return map;
}

function checkValue(col: Column, cell: Cell, stream: StreamName): { value: Value; problem?: string } {
  const empty = cell === null || (typeof cell === 'string' && cell.trim() === '');
  if (empty) return { value: null, problem: col.required ? 'required' : undefined };
  const v = col.value;
  const s = typeof cell === 'string' ? cell.trim() : cell;
  switch (v.kind) {
    case 'text':
      return typeof s === 'string' && s.length <= v.maxLength ? { value: s } : { value: null, problem: 'text' };
    case 'county':
      return countyCodes.has(String(s)) ? { value: String(s) } : { value: null, problem: 'county' };
    case 'unit':
      return countyCodes.has(String(s)) || cityCodes.has(String(s)) ? { value: String(s) } : { value: null, problem: 'unit' };
    case 'date': {
      const d = parseDate(s);
      return d === undefined ? { value: null, problem: 'date' } : { value: d };
    }
    case 'amount': {
      const a = parseAmount(s);
      if (a === undefined) return { value: null, problem: 'amount' };
      if (v.positive && a <= 0) return { value: null, problem: 'amount not positive' };
      return { value: a };
    }
    case 'integer': {
      const n = typeof s === 'number' ? s : /^\d{1,9}$/.test(String(s)) ? Number(s) : Number.NaN;
      return Number.isInteger(n) && n >= v.min && n <= v.max ? { value: n } : { value: null, problem: 'integer' };
    }
    case 'enum': {
      const en = enumLookup(v.values).get(String(s));
      return en ? { value: en } : { value: null, problem: 'enum' };
    }
    case 'boolean': {
      const text = String(s).toLowerCase();
      if (['是', 'yes', 'true', '1'].includes(text)) return { value: true };
      if (['否', 'no', 'false', '0'].includes(text)) return { value: false };
      return { value: null, problem: 'boolean' };
    }
    case 'period':
      return /^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$/.test(String(s)) ? { value: String(s) } : { value: null, problem: 'period' };
    case 'number': {
      const n = typeof s === 'number' ? s : /^-?\d+(\.\d+)?%?$/.test(String(s)) ? Number(String(s).replace(/%$/, '')) : Number.NaN;
      return Number.isFinite(n) ? { value: n } : { value: null, problem: 'number' };
    }
    case 'indicator': {
      const ind = catalog.get(String(s));
      if (!ind) return { value: null, problem: 'unknown indicator' };
      if (ind.source !== 'reported') return { value: null, problem: `computed indicator (${stream})` };
      return { value: ind.code };
    }
  }
}

/** Evaluates a contract rule (SQL over the typed row: comparisons, IS [NOT] NULL, AND) with SQL NULL logic. */
function ruleBroken(sql: string, row: Record<string, Value>): boolean {
  const term = (t: string): boolean | null => {
    let m = /^(\w+) IS (NOT )?NULL$/.exec(t);
    if (m) return (row[m[1]!] === null) !== Boolean(m[2]);
    m = /^(\w+) (<>|=|<|>|<=|>=) (?:'([^']*)'|(\w+))$/.exec(t);
    if (!m) throw new Error(`rule not understood by the test: ${t}`);
    const a = row[m[1]!];
    const b = m[3] !== undefined ? m[3] : row[m[4]!];
    if (a === null || b === null || a === undefined || b === undefined) return null;
    switch (m[2]) {
      case '=': return a === b;
      case '<>': return a !== b;
      case '<': return a < b;
      case '>': return a > b;
      case '<=': return a <= b;
      default: return a >= b;
    }
  };
  const parts = sql.split(/\s+AND\s+/).map((t) => term(t.trim()));
  if (parts.includes(false)) return false;
  return !parts.includes(null);
}

interface Checked {
  file: ManifestFile;
  line: number;
  row: Record<string, Value>;
  problems: Problem[];
}

/** Reads every file of an output and checks every row against the contract (and keys across the load). */
async function checkOutput(out: string): Promise<{ manifest: Manifest; rows: Checked[]; tables: Map<string, Table> }> {
  const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as Manifest;
  const rows: Checked[] = [];
  const tables = new Map<string, Table>();
  const keys = new Map<StreamName, Set<string>>();
  for (const file of manifest.files) {
    const table = await readTable(path.join(out, file.path));
    tables.set(file.path, table);
    const stream = streams[file.stream];
    const index = table.header.map((h) => stream.columns.findIndex((c) => c.name === h || c.zh === h));
    expect(index.every((i) => i >= 0), `${file.path}: header ${table.header.join(',')}`).toBe(true);
    expect(new Set(index).size).toBe(stream.columns.length);
    const seen = keys.get(file.stream) ?? new Set<string>();
    keys.set(file.stream, seen);
    for (const { line, cells } of table.rows) {
      const row: Record<string, Value> = {};
      const problems: Problem[] = [];
      index.forEach((ci, k) => {
        const col = stream.columns[ci]!;
        const { value, problem } = checkValue(col, cells[k] ?? null, file.stream);
        row[col.name] = value;
        if (problem) problems.push({ column: col.name, reason: problem });
      });
      for (const rule of stream.rules) if (ruleBroken(rule.broken, row)) problems.push({ column: rule.column, reason: rule.reason });
      if (file.stream === 'indicator_value' && row.indicator_code !== null && row.period !== null) {
        const want = catalog.get(String(row.indicator_code))!.period;
        const p = String(row.period);
        const kind = p.length === 4 ? 'annual' : p.includes('Q') ? 'quarterly' : 'monthly';
        if (kind !== want) problems.push({ column: 'period', reason: `period ${p} does not fit ${want}` });
      }
      if (problems.length === 0) {
        const key = stream.key.map((k) => String(row[k])).join('|');
        if (seen.has(key)) problems.push({ column: stream.key[0]!, reason: 'duplicate key' });
        else seen.add(key);
      }
      rows.push({ file, line, row, problems });
    }
  }
  return { manifest, rows, tables };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(path.join(dir, f)).isFile())
    .sort();
}

const sameBytes = (a: string, b: string) => filesUnder(a).every((f) => readFileSync(path.join(a, f)).equals(readFileSync(path.join(b, f))));

// ---------------------------------------------------------------------------------------------

const tmp = mkdtempSync(path.join(tmpdir(), 'generate-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const UNTIL = '2026-10';
const yearOf = (day: number) => new Date(day * DAY).getUTCFullYear();
const monthOf = (day: number) => new Date(day * DAY).getUTCMonth() + 1;
/** Whether a day falls in the Spring Festival's statutory week (除夕 to 初六) of its year. */
const inFestivalWeek = (day: number) => day - springFestival(yearOf(day)) >= -2 && day - springFestival(yearOf(day)) <= 6;

// 0.03 keeps the test fast; the calibrated counts are quotas, so they are exact at any scale.
describe('generate: calibrated at scale 0.03', () => {
  const S = 0.03;
  const out = path.join(tmp, 'calibrated');
  let checked: Awaited<ReturnType<typeof checkOutput>>;
  const of = (stream: StreamName) => checked.rows.filter((r) => r.file.stream === stream).map((r) => r.row);

  beforeAll(async () => {
    await generate({ scale: S, out, seed: 7, until: UNTIL });
    checked = await checkOutput(out);
  });

  it('writes every row valid under the contract, with zh or en headers and the manifest counts', () => {
    const bad = checked.rows.filter((r) => r.problems.length > 0);
    expect(bad.slice(0, 5).map((b) => `${b.file.path}:${b.line} ${JSON.stringify(b.problems)}`)).toEqual([]);
    for (const file of checked.manifest.files) {
      expect(checked.tables.get(file.path)!.rows.length).toBe(file.rows);
      expect(file.badRows).toBe(0);
      const table = checked.tables.get(file.path)!;
      expect(table.encoding).toBe(file.format === 'xlsx' ? 'xlsx' : file.encoding);
      const cols = streams[file.stream].columns;
      expect(table.header.every((h) => cols.some((c) => c.name === h)) || table.header.every((h) => cols.some((c) => c.zh === h))).toBe(true);
    }
  });

  it('varies file formats and styles, and keeps big streams in CSV', () => {
    const files = checked.manifest.files;
    const seen = (f: (x: ManifestFile) => unknown) => new Set(files.map(f));
    expect(seen((f) => f.encoding)).toEqual(new Set(['utf8', 'utf8-bom', 'gb18030']));
    expect(seen((f) => f.style.headers)).toEqual(new Set(['zh', 'en']));
    expect(seen((f) => f.style.shuffled)).toEqual(new Set([true, false]));
    expect(seen((f) => f.style.enums)).toEqual(new Set(['zh', 'en', 'mixed']));
    for (const d of ['iso', 'slash', 'dot', 'zh', 'cell']) expect(seen((f) => f.style.dates).has(d)).toBe(true);
    expect(seen((f) => f.style.amounts).has('comma')).toBe(true);
    expect(files.some((f) => f.format === 'xlsx' && f.style.notesSheet)).toBe(true);
    for (const f of files) {
      if (['insurance_enrolment', 'insurance_claim', 'mediation', 'training'].includes(f.stream)) expect(f.format).toBe('csv');
    }
    // XLSX date cells come back as real dates.
    const xlsxCell = files.find((f) => f.format === 'xlsx' && f.style.dates === 'cell' && f.rows > 0 && f.stream !== 'indicator_value')!;
    const t = checked.tables.get(xlsxCell.path)!;
    const dateCol = t.header.findIndex((h) => streams[xlsxCell.stream].columns.find((c) => c.name === h || c.zh === h)!.value.kind === 'date');
    expect(t.rows[0]!.cells[dateCol]).toBeInstanceOf(Date);
  });

  it('keeps every date between 2020-01-01 and the end of until, and the current year partial', () => {
    const last = Date.UTC(2026, 9, 31) / DAY;
    const first = Date.UTC(2019, 11, 1) / DAY; // renewals for plan_year 2021 start in Dec 2020; nothing earlier than 2020 except none
    let max = 0;
    let min = Infinity;
    for (const r of checked.rows) {
      for (const c of streams[r.file.stream].columns) {
        if (c.value.kind !== 'date' || r.row[c.name] === null) continue;
        max = Math.max(max, r.row[c.name] as number);
        min = Math.min(min, r.row[c.name] as number);
      }
    }
    expect(max).toBeLessThanOrEqual(last);
    expect(min).toBeGreaterThanOrEqual(Date.UTC(2020, 0, 1) / DAY);
    expect(min).toBeGreaterThan(first);
    expect(checked.manifest.cutoff).toBe('2026-10-31');
  });

  it('mediation: Jan-Jul 2023 successes = round(34800 S), rate 72.20%; 2022 about 5000 S fewer at 69.98%', () => {
    const janJul = (year: number) => of('mediation').filter((m) => m.closed_date !== null && yearOf(m.closed_date as number) === year && monthOf(m.closed_date as number) <= 7);
    const stats = (year: number) => {
      const rows = janJul(year);
      const s = rows.filter((m) => m.outcome === 'success').length;
      const f = rows.filter((m) => m.outcome === 'failed').length;
      return { s, f, rate: (100 * s) / (s + f), withdrawn: rows.filter((m) => m.outcome === 'withdrawn').length / rows.length };
    };
    const y23 = stats(2023);
    const y22 = stats(2022);
    // Quotas, not coin flips: exact at any scale (failures = round(successes x (1 - rate) / rate)).
    expect(y23.s).toBe(Math.round(34_800 * S));
    expect(y23.f).toBe(Math.round((y23.s * 0.278) / 0.722));
    expect(y22.s).toBe(Math.round(29_800 * S));
    expect(y22.f).toBe(Math.round((y22.s * 0.3002) / 0.6998));
    expect(Math.abs(y23.rate - 72.2)).toBeLessThan(0.1);
    expect(Math.abs(y22.rate - 69.98)).toBeLessThan(0.1);
    expect(y23.withdrawn).toBeGreaterThan(0.03);
    expect(y23.withdrawn).toBeLessThan(0.07);
    // Spring Festival dip (2024's festival fell on 10 February) and year-end peak (successes by closed month).
    const month = (y: number, m: number) => of('mediation').filter((r) => r.outcome === 'success' && r.closed_date !== null && yearOf(r.closed_date as number) === y && monthOf(r.closed_date as number) === m).length;
    expect(month(2024, 2)).toBeLessThan(month(2024, 3) * 0.8);
    expect(month(2023, 12)).toBeGreaterThan(month(2023, 11) * 1.15);
    // Pending cases: recent, without closed_date; closed cases mostly 5-30 days after receipt.
    const pending = of('mediation').filter((m) => m.outcome === 'pending');
    expect(pending.length).toBeGreaterThan(0);
    expect(pending.every((m) => (m.received_date as number) > Date.UTC(2026, 4, 1) / DAY)).toBe(true);
    const lags = of('mediation').filter((m) => m.closed_date !== null).map((m) => (m.closed_date as number) - (m.received_date as number));
    expect(lags.filter((d) => d >= 5 && d <= 30).length / lags.length).toBeGreaterThan(0.75);
  });

  it('insurance_enrolment: 1.44M S members in 2020, 2.27M S in 2023, growth slowing; member ids stable; ~5% second plan', () => {
    const rows = of('insurance_enrolment');
    const members = new Map<number, Set<string>>();
    const perYearRows = new Map<number, number>();
    let late = 0;
    for (const r of rows) {
      const y = r.plan_year as number;
      if (!members.has(y)) members.set(y, new Set());
      members.get(y)!.add(r.member_id as string);
      perYearRows.set(y, (perYearRows.get(y) ?? 0) + 1);
      if ((r.enrolled_date as number) > Date.UTC(y, 5, 30) / DAY || (r.enrolled_date as number) < Date.UTC(y - 1, 11, 1) / DAY) late++;
    }
    expect(late).toBe(0); // enrolled in the window before or early in the plan year
    expect(rows.filter((r) => inFestivalWeek(r.enrolled_date as number))).toEqual([]); // offices closed: enrolled when they reopen
    const count = (y: number) => members.get(y)!.size;
    expect(count(2020)).toBe(Math.round(1_440_000 * S)); // exact: new members fill the gap to the target
    expect(count(2023)).toBe(Math.round(2_270_000 * S));
    expect(count(2021)).toBeGreaterThan(count(2020));
    expect(count(2026) / count(2025)).toBeLessThan(count(2024) / count(2023));
    const second = (perYearRows.get(2023)! - count(2023)) / count(2023);
    expect(second).toBeGreaterThan(0.03);
    expect(second).toBeLessThan(0.07);
    const renewed = [...members.get(2022)!].filter((m) => members.get(2023)!.has(m)).length / count(2022);
    expect(renewed).toBeGreaterThan(0.8);
    const inpatient = new Set(rows.filter((r) => r.plan === 'inpatient').map((r) => (r.contribution_yuan as number) / 100));
    expect([...inpatient].sort()).toEqual([30, 40, 50, 60]);
  });

  it('insurance_claim: 80,000+ S beneficiaries and over 100M S yuan paid a year, by enrolled members of that year and county', () => {
    const enrolled = new Map<string, string>(); // member|year -> county
    for (const r of of('insurance_enrolment')) enrolled.set(`${r.member_id}|${r.plan_year}`, r.county_code as string);
    const claims = of('insurance_claim');
    for (const year of [2020, 2021, 2022, 2023, 2024, 2025]) {
      const paid = claims.filter((c) => c.plan_year === year && c.status === 'paid');
      expect(new Set(paid.map((c) => c.member_id)).size).toBeGreaterThan(80_000 * S);
      expect(paid.reduce((s, c) => s + (c.amount_yuan as number), 0) / 100).toBeGreaterThan(100_000_000 * S);
    }
    expect(claims.filter((c) => enrolled.get(`${c.member_id}|${c.plan_year}`) !== c.county_code)).toEqual([]);
    expect(claims.some((c) => c.status === 'rejected')).toBe(true);
    expect(claims.some((c) => c.status === 'pending')).toBe(true);
    const days = claims.filter((c) => c.status === 'paid').map((c) => (c.paid_date as number) - (c.submitted_date as number));
    expect(days.filter((d) => d >= 3 && d <= 15).length / days.length).toBeGreaterThan(0.75);
    // Nothing is paid in the Spring Festival week; December, before the plan year closes, is busier than November.
    expect(claims.filter((c) => c.paid_date !== null && inFestivalWeek(c.paid_date as number)).length).toBe(0);
    const filed = (m: number) => claims.filter((c) => c.plan_year === 2023 && monthOf(c.submitted_date as number) === m).length;
    expect(filed(12)).toBeGreaterThan(filed(11));
  });

  it('assistance: tens of thousands S a year, statuses consistent, referral share rising', () => {
    const rows = of('assistance');
    const share = (y: number) => {
      const ys = rows.filter((r) => yearOf(r.opened_date as number) === y);
      return ys.filter((r) => r.channel === 'referral').length / ys.length;
    };
    const n2023 = rows.filter((r) => yearOf(r.opened_date as number) === 2023).length;
    expect(n2023).toBeGreaterThan(10_000 * S);
    expect(n2023).toBeLessThan(100_000 * S);
    expect(share(2025)).toBeGreaterThan(share(2021));
    // "Send warmth": the four weeks before the Spring Festival's eve are the busiest of the year, by day.
    for (const year of [2022, 2023, 2024, 2025]) {
      const festival = springFestival(year);
      const perDay = (from: number, to: number) => rows.filter((r) => (r.opened_date as number) >= from && (r.opened_date as number) <= to).length / (to - from + 1);
      expect(perDay(festival - 30, festival - 3), String(year)).toBeGreaterThan(1.4 * perDay(Date.UTC(year, 2, 1) / DAY, Date.UTC(year, 10, 30) / DAY));
    }
    for (const r of rows) {
      if (r.status === 'active') expect(r.closed_date).toBeNull();
      else expect(r.closed_date as number).toBeGreaterThanOrEqual(r.opened_date as number);
    }
  });

  it('training: about 200k S records a year of every kind', () => {
    const rows = of('training');
    const y2023 = rows.filter((r) => yearOf(r.date as number) === 2023);
    expect(y2023.length).toBeGreaterThan(150_000 * S);
    expect(y2023.length).toBeLessThan(260_000 * S);
    expect(new Set(y2023.map((r) => r.kind))).toEqual(new Set(['training', 'competition', 'certification']));
    expect(y2023.some((r) => r.certified === true) && y2023.some((r) => r.certified === false)).toBe(true);
    // Classes pause in the Spring Festival week.
    const festival = springFestival(2023);
    const perDay = (from: number, to: number) => y2023.filter((r) => (r.date as number) >= from && (r.date as number) <= to).length / (to - from + 1);
    expect(perDay(festival - 2, festival + 6)).toBeLessThan(0.4 * perDay(festival + 15, festival + 42));
  });

  it('funding: 111 x 100,000 county_strengthening in 2023 and 16 pilots at 200,000 with city matching (two or three under 50%)', () => {
    const rows = of('funding').filter((r) => yearOf(r.disbursed_date as number) === 2023);
    const strengthening = rows.filter((r) => r.program === 'county_strengthening');
    expect(strengthening.length).toBe(111);
    expect(new Set(strengthening.map((r) => r.recipient_code)).size).toBe(111);
    expect(strengthening.every((r) => r.amount_yuan === 100_000 * 100)).toBe(true);
    const grants = rows.filter((r) => r.program === 'service_complex' && r.source === 'regional_federation');
    expect(grants.length).toBe(16);
    expect(grants.every((r) => r.amount_yuan === 200_000 * 100)).toBe(true);
    const weak = grants.filter((g) => {
      const match = rows.filter((r) => r.program === 'service_complex' && r.source === 'city_match' && r.recipient_code === g.recipient_code);
      expect(match.length).toBe(1);
      return (match[0]!.amount_yuan as number) < 100_000 * 100;
    });
    expect(weak.length).toBeGreaterThanOrEqual(2);
    expect(weak.length).toBeLessThanOrEqual(3);
  });

  it('indicator_value: every reported indicator for every unit and ended period, ~2% missing, never a computed one', () => {
    const rows = of('indicator_value');
    const reported = catalog.indicators.filter((i) => i.source === 'reported');
    expect(rows.every((r) => catalog.get(r.indicator_code as string)!.source === 'reported')).toBe(true);
    const c47 = reported.filter((i) => i.set === 'county47' && i.period === 'annual').length;
    const annual2023 = rows.filter((r) => r.period === '2023' && String(r.indicator_code).startsWith('C'));
    expect(annual2023.length / (c47 * 111)).toBeGreaterThan(0.96);
    expect(annual2023.length / (c47 * 111)).toBeLessThan(0.995);
    expect(new Set(rows.filter((r) => String(r.indicator_code).startsWith('R')).map((r) => r.unit_code))).toEqual(cityCodes);
    expect(rows.some((r) => r.period === '2026')).toBe(false); // 2026 has not ended at 2026-10
    expect(rows.some((r) => r.period === '2026-Q3')).toBe(true);
    // ">= prev" counts are sometimes met, sometimes not.
    const c07 = new Map(rows.filter((r) => r.indicator_code === 'C07').map((r) => [`${r.unit_code}|${r.period}`, r.value as number]));
    let up = 0;
    let down = 0;
    for (const code of countyCodes) {
      const a = c07.get(`${code}|2022`);
      const b = c07.get(`${code}|2023`);
      if (a !== undefined && b !== undefined) (b >= a ? up++ : down++);
    }
    expect(up).toBeGreaterThan(20);
    expect(down).toBeGreaterThan(5);
  });
});

// The default data (scale 1, seed 1) is ~17 million rows, too many to write in a test; mediation's
// generator is independent of the other streams (its own seeded draws), so it runs here alone at scale 1
// and its rows are counted as they are made, the same rows `generate` would write.
describe('generate: mediation on the default data (scale 1, seed 1)', () => {
  const outcomes = Object.keys(enums.mediationOutcome); // the generator writes an enum by its index
  /** success and failed counts by closed month, per county (`county|yyyymm`) and for the province (`|yyyymm`); closed cases by day. */
  const byCountyMonth = new Map<string, { s: number; f: number }>();
  const closedOnDay = new Map<number, number>();

  beforeAll(() => {
    const window = makeWindow('2025-12', new Date('2026-06-01T00:00:00Z'));
    const writer = {
      row(v: unknown[]) {
        const closed = v[3] as number;
        if (closed < 0) return;
        const o = outcomes[v[6] as number];
        closedOnDay.set(closed, (closedOnDay.get(closed) ?? 0) + 1);
        const d = new Date(closed * DAY);
        const month = d.getUTCFullYear() * 100 + d.getUTCMonth() + 1;
        for (const key of [`${v[1]}|${month}`, `|${month}`]) {
          const c = byCountyMonth.get(key) ?? { s: 0, f: 0 };
          if (o === 'success') c.s++;
          if (o === 'failed') c.f++;
          byCountyMonth.set(key, c);
        }
      },
    } as unknown as TableWriter;
    const ctx: GenContext = { seed: 1, scale: 1, window, counties: loadCounties(1), dates: new DateTable(window.start, window.cutoff), file: () => writer };
    generateMediation(ctx);
  });

  /** Province (no county) or county totals over the months from..to (yyyymm keys). */
  const total = (from: number, to: number, county = '') => {
    let s = 0;
    let f = 0;
    for (let month = from; month <= to; month = month % 100 === 12 ? month + 89 : month + 1) {
      const c = byCountyMonth.get(`${county}|${month}`);
      s += c?.s ?? 0;
      f += c?.f ?? 0;
    }
    return { s, f, rate: (100 * s) / (s + f) };
  };

  it('Jan-Jul 2023: exactly 34,800 successes at 72.20%, 5,000 more and 2.22 points above Jan-Jul 2022', () => {
    const y23 = total(202301, 202307);
    const y22 = total(202201, 202207);
    expect(y23.s).toBe(34_800);
    expect(y23.rate.toFixed(2)).toBe('72.20');
    expect(y22.s).toBe(29_800);
    expect(y22.rate.toFixed(2)).toBe('69.98');
    expect(y23.s - y22.s).toBe(5_000);
    expect((y23.rate - y22.rate).toFixed(2)).toBe('2.22');
  });

  it('the province line lives: each year the monthly rate spans at least 1.5 points, and no two months have the same counts', () => {
    const seen = new Set<string>();
    for (let year = 2020; year <= 2025; year++) {
      const rates: number[] = [];
      for (let m = 1; m <= 12; m++) {
        const t = total(year * 100 + m, year * 100 + m);
        rates.push(t.rate);
        seen.add(`${t.s}/${t.f}`);
      }
      expect(Math.max(...rates) - Math.min(...rates), String(year)).toBeGreaterThanOrEqual(1.5);
    }
    expect(seen.size).toBe(6 * 12);
  });

  it('the Spring Festival week (by its lunar date) is quiet and December is the busiest month', () => {
    for (let year = 2020; year <= 2025; year++) {
      const festival = springFestival(year);
      const perDay = (from: number, to: number) => {
        let n = 0;
        for (let d = from; d <= to; d++) n += closedOnDay.get(d) ?? 0;
        return n / (to - from + 1);
      };
      expect(perDay(festival - 2, festival + 6), String(year)).toBeLessThan(0.35 * perDay(festival + 15, festival + 42));
      const months = Array.from({ length: 12 }, (_, k) => total(year * 100 + k + 1, year * 100 + k + 1).s);
      expect(Math.max(...months), String(year)).toBe(months[11]);
    }
    // 2023's festival fell on 22 January, 2024's on 10 February: the dip moves with it.
    expect(total(202302, 202302).s / 28).toBeGreaterThan(total(202402, 202402).s / 29);
  });

  it('counties differ in level and in direction: some improve, some slip', () => {
    const codes = [...countyCodes];
    const rate = (code: string, year: number) => total(year * 100 + 1, year * 100 + 12, code).rate;
    const levels = codes.map((c) => rate(c, 2023));
    expect(Math.max(...levels) - Math.min(...levels)).toBeGreaterThan(10);
    const change = codes.map((c) => rate(c, 2025) - rate(c, 2021));
    expect(change.filter((d) => d > 3).length).toBeGreaterThanOrEqual(40); // the province gains about 6 points 2021-2025
    expect(change.filter((d) => d < -3).length).toBeGreaterThanOrEqual(5);
    // Within a county, months differ too: a big county's twelve monthly rates of 2023 span several points.
    const spans = codes.map((c) => {
      const r = Array.from({ length: 12 }, (_, k) => total(202301 + k, 202301 + k, c).rate);
      return Math.max(...r) - Math.min(...r);
    });
    expect(spans.filter((x) => x >= 5).length).toBeGreaterThan(codes.length / 2);
  });
});

describe('generate: deterministic', () => {
  it('writes byte-identical files (CSV and XLSX) for the same seed, different ones for another seed', async () => {
    const a = path.join(tmp, 'det-a');
    const b = path.join(tmp, 'det-b');
    const c = path.join(tmp, 'det-c');
    const opts = { scale: 0.002, seed: 3, until: '2021-08' };
    await generate({ ...opts, out: a });
    await generate({ ...opts, out: b });
    await generate({ ...opts, out: c, seed: 4 });
    expect(filesUnder(a)).toEqual(filesUnder(b));
    expect(filesUnder(a).some((f) => f.endsWith('.xlsx'))).toBe(true);
    expect(sameBytes(a, b)).toBe(true); // XLSX too: fixed workbook dates and zip entry times
    const differing = filesUnder(a).filter((f) => f !== 'manifest.json' && filesUnder(c).includes(f) && !readFileSync(path.join(a, f)).equals(readFileSync(path.join(c, f))));
    expect(differing.length).toBeGreaterThan(filesUnder(a).length / 2);
  });

  it('reproduces the committed fixtures/sample exactly (see its README)', async () => {
    const sample = path.resolve(import.meta.dirname, '../../fixtures/sample');
    const out = path.join(tmp, 'sample');
    await generate({ scale: 0.002, seed: 1, until: '2026-10', out });
    const committed = filesUnder(sample).filter((f) => f !== 'README.md');
    expect(filesUnder(out)).toEqual(committed);
    const differs = committed.filter((f) => !readFileSync(path.join(out, f)).equals(readFileSync(path.join(sample, f))));
    expect(differs, 'regenerate it: npm run etl -- generate --scale 0.002 --seed 1 --until 2026-10 --out fixtures/sample').toEqual([]);
    expect(filesUnder(sample).reduce((s, f) => s + statSync(path.join(sample, f)).size, 0)).toBeLessThan(3.3e6);
  });
});

describe('generate: in two parts (npm start runs them at once)', () => {
  it('each part writes only its streams; together, with writeManifest, the same bytes as one generation', async () => {
    const whole = path.join(tmp, 'parts-whole');
    const split = path.join(tmp, 'parts-split');
    const opts = { scale: 0.002, seed: 1, until: '2026-10', today: '2026-11-20' };
    await generate({ ...opts, out: whole });
    // The insurance part first: the order parts are made and joined in does not matter.
    const insurance = await generate({ ...opts, out: split, part: 'insurance' });
    expect(existsSync(path.join(split, 'manifest.json'))).toBe(false); // a part writes none
    const others = await generate({ ...opts, out: split, part: 'others' });
    expect(new Set(insurance.files.map((f) => f.stream))).toEqual(new Set(generationParts.insurance));
    expect(new Set(others.files.map((f) => f.stream))).toEqual(new Set(generationParts.others));
    writeManifest(split, [insurance.manifest, others.manifest]);
    expect(filesUnder(split)).toEqual(filesUnder(whole));
    expect(sameBytes(whole, split)).toBe(true);
    // Parts of different generations are not joined.
    expect(() => writeManifest(split, [insurance.manifest, { ...others.manifest, cutoff: '2026-10-30' }])).toThrow(/parts of different generations/);
  });
});

describe('generate: plain rows only (npm start serves from them, the styled files come after)', () => {
  it('writes the same plain rows and reports the same files, but no styled file of a stream with plain rows', async () => {
    const opts = { scale: 0.002, seed: 1, until: '2026-10', today: '2026-11-20' };
    const both = await generate({ ...opts, out: path.join(tmp, 'plain-both'), typedRows: path.join(tmp, 'plain-both-rows') });
    const out = path.join(tmp, 'plain-only');
    const plain = await generate({ ...opts, out, typedRows: path.join(tmp, 'plain-only-rows'), styled: false });
    expect(plain.files).toEqual(both.files);
    expect(plain.manifest).toEqual(both.manifest);
    // The indicator values have no plain form: their styled files are written either way.
    // No manifest either: it would list files that are not there.
    expect(filesUnder(out)).toEqual(plain.files.filter((f) => f.stream === 'indicator_value').map((f) => f.path).sort());
    expect(filesUnder(path.join(tmp, 'plain-only-rows'))).toEqual(filesUnder(path.join(tmp, 'plain-both-rows')));
    expect(sameBytes(path.join(tmp, 'plain-both-rows'), path.join(tmp, 'plain-only-rows'))).toBe(true);
    await expect(generate({ ...opts, out: path.join(tmp, 'plain-none'), styled: false })).rejects.toThrow('styled: false needs typedRows');
  });
});

describe('generate: files handed over as they are finished', () => {
  it('reports every file once, complete on disk when reported, enrolment and claims before the generation ends', async () => {
    const out = path.join(tmp, 'handed-over');
    const reported: { path: string; bytes: number; rows: number; at: number }[] = [];
    const result = await generate({
      scale: 0.002,
      seed: 1,
      until: '2026-10',
      out,
      onFile: (f) => reported.push({ path: f.path, bytes: statSync(path.join(out, f.path)).size, rows: f.rows, at: reported.length }),
    });
    // Every file once, with the rows and bytes it ends with: nothing is written to it afterwards.
    expect(reported.map((r) => r.path).sort()).toEqual(result.files.map((f) => f.path).sort());
    for (const r of reported) {
      expect(statSync(path.join(out, r.path)).size, r.path).toBe(r.bytes);
      expect(r.rows, r.path).toBe(result.files.find((f) => f.path === r.path)!.rows);
    }
    // The first year's enrolment and claims are handed over before the last year's enrolment is written.
    const firstYear = reported.findIndex((r) => /insurance_claim_2020/.test(r.path));
    const lastEnrolment = reported.findIndex((r) => /insurance_enrolment_2026/.test(r.path));
    expect(firstYear).toBeGreaterThanOrEqual(0);
    expect(firstYear).toBeLessThan(lastEnrolment);
  });
});

describe('generate: messy', () => {
  it('records every injected bad row (line and column), and every other row is valid', async () => {
    const out = path.join(tmp, 'messy');
    const result = await generate({ scale: 0.005, seed: 5, out, until: '2023-12', messy: true });
    const { manifest, rows } = await checkOutput(out);
    expect(result.files.reduce((s, f) => s + f.badRows, 0)).toBeGreaterThan(0);
    const expected = new Map<string, string>();
    for (const f of manifest.files) {
      expect(f.bad!.length).toBe(f.badRows);
      for (const b of f.bad!) expected.set(`${f.path}:${b.line}`, b.column);
    }
    const wrong: string[] = [];
    const defects = new Set<string>();
    for (const f of manifest.files) for (const b of f.bad!) defects.add(b.defect);
    for (const r of rows) {
      const where = `${r.file.path}:${r.line}`;
      const column = expected.get(where);
      if (column === undefined && r.problems.length > 0) wrong.push(`${where} rejected but not injected: ${JSON.stringify(r.problems)}`);
      if (column !== undefined && !r.problems.some((p) => p.column === column)) wrong.push(`${where} injected in ${column} but ${JSON.stringify(r.problems)}`);
    }
    expect(wrong.slice(0, 10)).toEqual([]);
    expect(rows.filter((r) => r.problems.length > 0).length).toBe(expected.size);
    for (const d of ['empty_required', 'impossible_date', 'unknown_code', 'negative_amount', 'enum_typo', 'duplicate_key', 'three_decimals', 'not_a_number', 'closed_before_received', 'pending_with_closed_date']) {
      expect(defects.has(d), d).toBe(true);
    }
    // A few percent per file.
    for (const f of manifest.files) if (f.rows > 500) expect(f.badRows / f.rows).toBeLessThan(0.06);
  });
});
