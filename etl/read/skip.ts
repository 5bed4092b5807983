// Rows of a ledger (台账) that are not records: the title and 填报单位/日期 lines above the header, a
// 合计/小计 row, the 填表人/审核人/联系电话 footer, and rows of only separators or spaces that Excel
// and WPS leave below the data. They are set aside as skipped (with line and reason) or counted as
// blank, never rejected: nothing in them is a record the office has to fix.
import type { DuckDBConnection } from '@duckdb/node-api';
import { lit, rows, run } from '../duck.ts';

export interface Skipped {
  line: number;
  reason: string;
}

// One source for the labels, read by JavaScript (rows above the header, rows the CSV reader could not
// split) and by DuckDB's RE2 (rows below it): the syntax is common to both.
// A total label is the whole cell or is followed by a colon, bracket or space ("合计：", "合计（元）"),
// so an id such as "合计-001" on a row that fails the check is rejected, not skipped.
const TOTAL = String.raw`^((本月|本期|本年|全年)?(合\s*计|小\s*计|总\s*计|共\s*计)|(sub)?total)([\s:：(（].*)?$`;
const FOOTER = String.raw`^(填\s*表\s*人|填\s*报\s*人|制\s*表\s*人|审\s*核\s*人|审\s*批\s*人|负\s*责\s*人|单位负责人|分管领导|经\s*办\s*人|联系电话|联系人|电\s*话|填表日期|填报日期|制表日期|注\s*[:：]|说\s*明\s*[:：]|备\s*注\s*[:：])`;
const UNIT_LINE = String.raw`^(填报单位|报送单位|填表单位|单位名称|单位\s*[:：]|统计时间|统计期间|报送日期|填报日期|日期\s*[:：])`;

export const REASONS = {
  title: '表头上方的标题或说明行 / title or note above the header',
  unit: '填报单位/日期行 / reporting unit or date line above the header',
  total: '合计/小计行 / total or subtotal row',
  footer: '表尾签名或说明行（填表人、审核人、联系电话）/ footer: signatures, phone, notes',
} as const;

const SPACES = ' \t\u3000\u00a0\r\n';
const filledCells = (cells: string[]) => cells.map((c) => c.trim()).filter((c) => c !== ''); // trim() takes U+3000 too
const isTotal = new RegExp(TOTAL, 'i');
const isFooter = new RegExp(FOOTER);
const isUnitLine = new RegExp(UNIT_LINE);

/** Why a row above the header is not a record, or null for a row of only separators and spaces (blank). */
export function aboveHeaderReason(cells: string[]): string | null {
  const filled = filledCells(cells);
  if (filled.length === 0) return null;
  return filled.some((c) => isUnitLine.test(c)) ? REASONS.unit : REASONS.title;
}

/** Why a row below the header is not a record ('blank' for separators and spaces only), or null for a record. */
export function belowHeaderReason(cells: string[]): string | 'blank' | null {
  const filled = filledCells(cells);
  if (filled.length === 0) return 'blank';
  if (isTotal.test(filled[0])) return REASONS.total;
  if (isFooter.test(filled[0])) return REASONS.footer;
  return null;
}

/**
 * Takes the rows below the header that are not records out of the checked rows (`checked`, built from
 * the staging view `stg`, whose `__cells` lists every cell of the file's row). Only rows that failed
 * the check are looked at: a blank, total or footer row always lacks a required value (so a record that
 * loads is never taken for one), and a clean file costs one look at `checked`.
 */
export async function setAsideNonRecords(conn: DuckDBConnection): Promise<{ skipped: Skipped[]; blank: number }> {
  const [{ failed }] = await rows<{ failed: boolean }>(conn, `SELECT EXISTS (SELECT 1 FROM checked WHERE NOT ok) AS failed`);
  if (!failed) return { skipped: [], blank: 0 };
  await run(
    conn,
    `CREATE OR REPLACE TEMP TABLE non_records AS
     WITH failed AS (
       SELECT __line, list_filter(list_transform(__cells, x -> trim(x, ${lit(SPACES)})), x -> coalesce(x, '') <> '') AS filled
       FROM stg WHERE __line IN (SELECT __line FROM checked WHERE NOT ok)
     )
     SELECT __line, CASE WHEN len(filled) = 0 THEN 'blank'
                         WHEN regexp_matches(filled[1], ${lit('(?i)' + TOTAL)}) THEN ${lit(REASONS.total)}
                         WHEN regexp_matches(filled[1], ${lit(FOOTER)}) THEN ${lit(REASONS.footer)} END AS reason
     FROM failed WHERE reason IS NOT NULL;
     DELETE FROM checked WHERE __line IN (SELECT __line FROM non_records);`,
  );
  const found = await rows<{ line: number; reason: string }>(conn, `SELECT __line AS line, reason FROM non_records ORDER BY __line`);
  await run(conn, `DROP TABLE non_records`);
  return { skipped: found.filter((r) => r.reason !== 'blank'), blank: found.filter((r) => r.reason === 'blank').length };
}
