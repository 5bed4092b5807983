// A report is one titled table: what the exports render as CSV, XLSX or a printable PDF. Builders
// (reports.ts) fill it from the same queries as the JSON endpoints; renderers never query.
import { DASH, formatFixed } from '../../core/format.ts';

export type Lang = 'zh-CN' | 'en';

export type ColumnType =
  /** free text (names, codes, months) */
  | 'text'
  | 'integer'
  /** one decimal (days) */
  | 'decimal1'
  /** two decimals (scores, points) */
  | 'decimal2'
  /** percent points with two decimals: 72.2 is 72.20% */
  | 'percent'
  /** yuan with two decimals */
  | 'yuan';

export interface Column {
  key: string;
  header: string;
  type: ColumnType;
  /** characters, for the XLSX column width (default from the type) */
  width?: number;
  /** long text the PDF may wrap (other columns stay on one line) */
  wrap?: boolean;
}

export type Cell = string | number | boolean | null;
export type Row = Record<string, Cell>;

export interface Report {
  /** file name without extension: ASCII letters, digits, dashes (the route builds it from the filters) */
  filename: string;
  title: string;
  /** filter and provenance lines under the title (XLSX second row, PDF subtitle; not in the CSV) */
  notes: string[];
  columns: Column[];
  rows: Row[];
  /** rows shown after the table body in bold (totals) */
  totals?: Row[];
  lang: Lang;
  /** print the PDF in landscape (wide tables) */
  landscape?: boolean;
}

/** A cell as the PDF prints it and the XLSX shows it: numbers through the one formatter (core/format.ts). */
export function cellText(v: Cell, type: ColumnType): string {
  if (v === null || v === undefined) return DASH;
  if (typeof v !== 'number' || type === 'text') return String(v);
  return formatFixed(v, type);
}

/** Display width of a string in columns: CJK and full-width characters take two. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}

export const t = (lang: Lang, zh: string, en: string) => (lang === 'en' ? en : zh);
