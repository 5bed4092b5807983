// A strict RFC 4180 reader for the catalog file: quoted fields (with commas, doubled quotes and line
// breaks inside), CRLF or LF line ends, a UTF-8 BOM. Strict because a hand-edited catalog with a
// stray quote should fail loudly, not shift a weight into the source column. The county data files
// go through the ETL's own readers (encodings, XLSX); this one only reads UTF-8 text.

export interface CsvRecord {
  /** 1-based line on which the record starts (what an editor shows). */
  line: number;
  fields: string[];
}

export class CsvError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

/** Splits CSV text into records. Records whose fields are all empty (blank rows) are dropped. */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (i < text.length) {
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        const opened = line;
        i++;
        for (;;) {
          if (i >= text.length) throw new CsvError(opened, 'a quoted field is never closed (missing ")');
          const c = text[i];
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n') line++;
          field += c;
          i++;
        }
        if (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          throw new CsvError(line, `unexpected text after a closing quote: ${JSON.stringify(text.slice(i, i + 20))}`);
        }
      } else {
        while (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          if (text[i] === '"') {
            throw new CsvError(line, 'a quote inside an unquoted field (quote the whole field and double the quote: "a ""b"" c")');
          }
          field += text[i++];
        }
      }
      fields.push(field);
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '\r') i++;
      if (text[i] === '\n') i++;
      line++;
      break;
    }
    if (fields.some((f) => f !== '')) records.push({ line: start, fields });
  }
  return records;
}
