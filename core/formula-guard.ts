// CSV injection: a cell starting with = + - @, a tab or a CR is run as a formula by spreadsheets
// (`=cmd|' /C calc'!A0`). Text written for Excel (exports, rejects files) gets a leading ' so it opens
// as text.
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutralise(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}
