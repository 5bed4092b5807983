// Recognising a file's header: which stream it is and which file column holds which contract column.
// County ledgers (台账) put a title and a 填报单位/日期 line above the header, and sometimes split the
// header over two rows (a merged group name above the column names), so the header is looked for in
// the first rows, not only the first.
import { streams, type Column, type Stream, type StreamName } from '../../core/contract.ts';
import { aboveHeaderReason, REASONS } from './skip.ts';

export interface HeaderMap {
  stream: Stream;
  /** file column index -> contract column name, for the recognised columns */
  columns: Map<number, string>;
  /** contract column name -> the header exactly as written in the file (for reject reports) */
  headerOf: Map<string, string>;
  ignored: string[];
}

export class UnreadableFileError extends Error {}

/** How many rows from the top of a sheet may hold the header. */
export const HEADER_SEARCH_ROWS = 15;

/**
 * A header cell as compared with the contract's names: full-width forms folded (NFKC: "（元）" is
 * "(元)"), case, spaces, line breaks (a wrapped header cell) and underscores ignored, and a unit that
 * restates the contract's own ("(元)" after an amount, "(人)" after a head count) dropped. "(万元)"
 * is not dropped: it is a different unit, and the column is then not recognised.
 */
const normalise = (h: string) =>
  h
    .normalize('NFKC')
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/[\s_]+/g, '')
    .replace(/\((元|人)\)$/, '');

function lookup(stream: Stream): Map<string, string> {
  const m = new Map<string, string>();
  for (const c of stream.columns) {
    m.set(normalise(c.name), c.name);
    m.set(normalise(c.zh), c.name);
  }
  return m;
}

function matchStream(stream: Stream, header: string[]): HeaderMap {
  const names = lookup(stream);
  const columns = new Map<number, string>();
  const headerOf = new Map<string, string>();
  const ignored: string[] = [];
  header.forEach((h, i) => {
    const name = names.get(normalise(h));
    if (name && !headerOf.has(name)) {
      columns.set(i, name);
      headerOf.set(name, h.trim());
    } else if (h.trim() !== '') ignored.push(h.trim());
  });
  return { stream, columns, headerOf, ignored };
}

const missingOf = (m: HeaderMap): Column[] => m.stream.columns.filter((c) => c.required && !m.headerOf.has(c.name));

type Attempt =
  | { kind: 'found'; map: HeaderMap }
  | { kind: 'ambiguous'; streams: StreamName[] }
  | { kind: 'partial'; best: HeaderMap };

/** One row read as a header: a stream with every required column, or the best partial match. */
function attempt(header: string[], given?: StreamName): Attempt {
  const candidates = given ? [streams[given]] : Object.values(streams);
  const matches = candidates.map((s) => matchStream(s, header)).sort((a, b) => b.columns.size - a.columns.size);
  const complete = matches.filter((m) => missingOf(m).length === 0);
  if (complete.length === 1 || (complete.length > 1 && complete[0].columns.size > complete[1].columns.size)) return { kind: 'found', map: complete[0] };
  if (complete.length > 1) return { kind: 'ambiguous', streams: complete.map((m) => m.stream.name) };
  return { kind: 'partial', best: matches[0] };
}

const template = (stream?: StreamName) =>
  stream
    ? `下载模板 / download the template: GET /api/templates/${stream}.xlsx`
    : `下载模板 / download a template: GET /api/templates/<stream>.xlsx (${Object.keys(streams).join(', ')})`;

const requiredZh = (stream: Stream) => stream.columns.filter((c) => c.required).map((c) => c.zh).join('、');

function ambiguous(file: string, names: StreamName[]): UnreadableFileError {
  return new UnreadableFileError(`${file}: 表头同时符合多种数据 / the header fits several streams (${names.join(', ')}); name one with --stream`);
}

function missingColumns(file: string, best: HeaderMap): UnreadableFileError {
  const need = missingOf(best).map((c) => `${c.zh} ${c.name}`);
  return new UnreadableFileError(
    `${file}: 缺少必需列 / missing required column(s) for ${best.stream.name}: ${need.join(', ')}; ${template(best.stream.name)}`,
  );
}

function noHeader(file: string, rows: string[][], given?: StreamName): UnreadableFileError {
  const found = rows.find((r) => r.some((c) => c.trim() !== ''))?.filter((c) => c.trim() !== '') ?? [];
  const expected = given
    ? `${streams[given].zh}: ${requiredZh(streams[given])}`
    : Object.values(streams).map((s) => `${s.zh}: ${requiredZh(s)}`).join('; ');
  return new UnreadableFileError(
    `${file}: 无法识别表头 / no recognisable header in the first ${HEADER_SEARCH_ROWS} rows ` +
      `(found: ${found.slice(0, 8).join(', ').slice(0, 200) || 'nothing'}); ` +
      `应有的列 / expected columns (${expected}); ${template(given)}`,
  );
}

/** Map a single header row to a stream (the given one, or the one whose required columns are all present). */
export function recogniseHeader(header: string[], file: string, given?: StreamName): HeaderMap {
  const a = attempt(header, given);
  if (a.kind === 'found') return a.map;
  if (a.kind === 'ambiguous') throw ambiguous(file, a.streams);
  if (a.best.columns.size >= (given ? 1 : 2)) throw missingColumns(file, a.best);
  throw noHeader(file, [header], given);
}

export interface FoundHeader {
  map: HeaderMap;
  /** the header cells, one per file column (a two-row header merged into one) */
  header: string[];
  /** index in `rows` of the header's first row */
  first: number;
  /** index in `rows` of the header's last row: data starts after it */
  last: number;
}

/**
 * A two-row header read as one: each column's name from the lower row, or from the upper row where
 * the lower is empty (a name merged over both rows, or a CSV saved from such a sheet).
 */
export function mergeHeaderRows(upper: string[], lower: string[]): string[] {
  return Array.from({ length: Math.max(upper.length, lower.length) }, (_, i) =>
    (lower[i] ?? '').trim() !== '' ? lower[i] : (upper[i] ?? ''),
  );
}

/**
 * A row of group names above the column names (案件信息 | 调解情况): several different names, not a
 * 填报单位/日期 line. A title has one (or is merged into one), so it is not taken for one.
 */
function isGroupRow(cells: string[]): boolean {
  const names = new Set(cells.map((c) => c.trim()).filter((c) => c !== ''));
  return names.size >= 2 && aboveHeaderReason(cells) !== REASONS.unit;
}

/**
 * The header among the first HEADER_SEARCH_ROWS rows: the first row that is a complete header by
 * itself (with a row of group names above it, as a sheet with merged cells reads), or the first pair
 * that is one together while its lower row alone is not. A header that
 * fits several streams, or the best partial one, is reported when no row is a complete header.
 */
export function findHeader(rows: string[][], file: string, given?: StreamName): FoundHeader {
  const top = rows.slice(0, HEADER_SEARCH_ROWS);
  let best: HeaderMap | null = null;
  let ambiguity: StreamName[] | null = null;
  const consider = (a: Attempt): HeaderMap | null => {
    if (a.kind === 'found') return a.map;
    if (a.kind === 'ambiguous') ambiguity ??= a.streams;
    else if (!best || a.best.columns.size > best.columns.size) best = a.best;
    return null;
  };
  for (let i = 0; i < top.length; i++) {
    const single = consider(attempt(top[i], given));
    if (single) return { map: single, header: top[i], first: i > 0 && isGroupRow(top[i - 1]) ? i - 1 : i, last: i };
    if (i + 1 >= top.length || attempt(top[i + 1], given).kind === 'found') continue;
    const merged = mergeHeaderRows(top[i], top[i + 1]);
    const pair = attempt(merged, given);
    if (pair.kind === 'found') return { map: pair.map, header: merged, first: i, last: i + 1 };
  }
  if (ambiguity) throw ambiguous(file, ambiguity);
  const partial = best as HeaderMap | null;
  // A row with some of the stream's names is a header with columns missing; with none, there is no header.
  if (partial && partial.columns.size >= (given ? 1 : 2)) throw missingColumns(file, partial);
  throw noHeader(file, top, given);
}

export interface CsvRecord {
  /** the line the record starts on (1 = the first line of the file) */
  line: number;
  fields: string[];
}

/** The delimiter of a CSV text: of comma, tab and semicolon the one most used in its first lines. */
export function detectDelimiter(text: string): string {
  const head = text.split(/\r?\n/, HEADER_SEARCH_ROWS).join('\n');
  const count = (d: string) => head.split(d).length;
  return [',', '\t', ';'].sort((a, b) => count(b) - count(a))[0];
}

/** The first `max` records of a decoded CSV text, with the line each starts on; empty lines are not records. */
export function firstRecords(text: string, delimiter: string, max: number): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let empty = true;
  const end = () => {
    if (!empty) records.push({ line: start, fields: [...fields, field] });
    fields = [];
    field = '';
    empty = true;
  };
  for (let i = 0; i < text.length && records.length < max; i++) {
    const ch = text[i];
    if (empty && ch !== '\n' && ch !== '\r') {
      empty = false;
      start = line;
    }
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        field += ch;
      }
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === delimiter) fields.push(field), (field = '');
    else if (ch === '\n') end(), line++;
    else if (ch !== '\r') field += ch;
  }
  if (records.length < max) end();
  return records;
}
