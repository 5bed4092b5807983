// Recognising a file's header row: which stream it is and which file column holds which contract column.
import { streams, type Stream, type StreamName } from '../contract/streams.ts';

export interface HeaderMap {
  stream: Stream;
  /** file column index -> contract column name, for the recognised columns */
  columns: Map<number, string>;
  /** contract column name -> the header exactly as written in the file (for reject reports) */
  headerOf: Map<string, string>;
  ignored: string[];
}

export class UnreadableFileError extends Error {}

const normalise = (h: string) => h.replace(/^\uFEFF/, '').trim().replace(/[\s_]+/g, '_').toLowerCase();

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

/** Map a header row to a stream (the given one, or the one whose required columns are all present). */
export function recogniseHeader(header: string[], file: string, given?: StreamName): HeaderMap {
  const candidates = given ? [streams[given]] : Object.values(streams);
  const matches = candidates.map((s) => matchStream(s, header));
  const missing = (m: HeaderMap) => m.stream.columns.filter((c) => c.required && !m.headerOf.has(c.name));
  const complete = matches.filter((m) => missing(m).length === 0).sort((a, b) => b.columns.size - a.columns.size);
  if (complete.length > 0 && (complete.length === 1 || complete[0].columns.size > complete[1].columns.size)) return complete[0];
  if (complete.length > 1) {
    throw new UnreadableFileError(
      `${file}: 表头同时符合多种数据 / the header fits several streams (${complete.map((m) => m.stream.name).join(', ')}); name one with --stream`,
    );
  }
  const best = matches.sort((a, b) => b.columns.size - a.columns.size)[0];
  if (given || best.columns.size >= 2) {
    const need = missing(best).map((c) => `${c.zh} ${c.name}`);
    throw new UnreadableFileError(
      `${file}: 缺少必需列 / missing required column(s) for ${best.stream.name}: ${need.join(', ')}`,
    );
  }
  throw new UnreadableFileError(
    `${file}: 无法识别表头 / no recognisable header in the first row (found: ${header.slice(0, 8).join(', ') || 'nothing'}); ` +
      `expected the Chinese or English column names of DATA-CONTRACT.md`,
  );
}

/** Split the first CSV record (header) of a decoded sample; handles quotes and the delimiter. */
export function splitHeaderRecord(text: string): { fields: string[]; delimiter: string } {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = [',', '\t', ';'].sort((a, b) => firstLine.split(b).length - firstLine.split(a).length)[0];
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) fields.push(field), (field = '');
    else if (ch === '\n' || ch === '\r') break;
    else field += ch;
  }
  fields.push(field);
  return { fields, delimiter };
}
