// The fix-and-resend file (<file>.rejects.csv): the rejected rows as sent, plus their line and
// problems, which a reload ignores. A value a spreadsheet would run as a formula goes out with a
// leading ' (core/formula-guard.ts) and comes back without it when the office returns the file.
export const SOURCE_LINE = '原行号 source_line';
export const PROBLEMS = '问题 problems';

/** SQL for a column of a returned rejects file: the value as the office first sent it. */
export const restoredSql = (column: string) => `CASE WHEN regexp_matches(${column}, '^''[=+\\-@\\t\\r]') THEN ${column}[2:] ELSE ${column} END`;
