// Hostile request parts for the fuzz and security tests, and the one check every error answer must
// pass: the error shape, no server error, nothing of the server's insides (stack, paths, engine
// messages) in the body.
import fc from 'fast-check';

/** Invalid for every declared parameter (each has a pattern, an enum or an integer range). */
export const NEVER_VALID = [
  '',
  ' ',
  'x'.repeat(10_000),
  '😀',
  '兴宁区',
  '\u0000',
  '450102\u0000',
  '\u0000450102',
  '450102\r\nSet-Cookie: uc_session=x',
  '\t',
  '\u202e450102',
  '４５０１０２', // full-width digits
  '-1',
  '-2023',
  '1e308',
  '-1e308',
  '9'.repeat(400),
  '1.5',
  '2023.5',
  'NaN',
  'Infinity',
  '-Infinity',
  'true',
  'null',
  'undefined',
  '[]',
  '{}',
  "' OR 1=1 --",
  "450102' OR '1'='1",
  '450102; DROP TABLE users',
  '1); SELECT * FROM users; --',
  '../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  '${7*7}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  'county47 ',
];

/** Look valid or nearly so (extreme, unknown, coercible): any status below 500, in the error shape. */
export const EDGE = [
  '0',
  '-0',
  '0x10',
  '1e3',
  ' 2023',
  '2023 ',
  '2023.0',
  '2015',
  '2100',
  '2101',
  '2014',
  '450000',
  '459999',
  '450199',
  '451500',
  '450100',
  '0000-01',
  '9999-12',
  '2023-13',
  '2023-00',
  '2023-Q5',
  '2023-Q0',
  '2023-Q1',
  '0000',
  '9999',
  'C01',
  'R88',
  'Z_9',
];

/** Sent as they are, unencoded: broken and doubled percent-encoding, encoded separators. */
export const RAW = [
  '%',
  '%%',
  '%zz',
  '%00',
  '%E0%A4%A',
  '%C0%AE%C0%AE%2F',
  '%252e%252e%252f',
  '%2e%2e%2f%2e%2e%2f',
  '%u002e',
  '+',
  '%2B450102',
  '450102%26unit%3D450103',
  '450102&unit=450103',
  '%0d%0aSet-Cookie:%20x=1',
  '%F0%9F%98%80',
  '%EF%BB%BF450102',
  '%ED%A0%80', // a lone surrogate as UTF-8 bytes
];

/** Names of extra query keys: prototype keys, bracket and dot syntax, odd bytes. */
export const ODD_KEYS = [
  '__proto__',
  '__proto__[unit]',
  'constructor',
  'constructor[prototype][x]',
  'prototype',
  'hasOwnProperty',
  'toString',
  'valueOf',
  '__defineGetter__',
  'unit[]',
  'unit.x',
  'a[b][c]',
  ' ',
  '\u0000',
  '😀',
  'x'.repeat(1000),
];

/** Random values: any Unicode, numbers of every size and form, strings shaped like codes and periods. */
export const anyValue: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.integer().map(String),
  fc.double().map(String),
  fc.bigInt().map(String),
  fc.stringMatching(/^45\d{4}$/),
  fc.stringMatching(/^\d{4}(-Q\d|-\d{2})?$/),
  fc.constantFrom(...NEVER_VALID, ...EDGE),
);

/** Percent-encode a value; a lone surrogate goes as the bytes Node would send for it. */
export function encode(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return [...Buffer.from(s)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
  }
}

export const ERROR_CODES = [
  'bad_request',
  'payload_too_large',
  'conflict',
  'unsupported_media_type',
  'unauthenticated',
  'invalid_credentials',
  'forbidden',
  'not_found',
  'rate_limited',
  'warehouse_unavailable',
  'pdf_unavailable',
  'pdf_busy',
  'pdf_timeout',
  'internal',
];

/** What a body must never show: a stack frame, a source or temp path, an engine or framework message. */
const LEAK =
  /\n\s+at |node_modules|\/work\/|\/tmp\/|file:\/\/|\.[cm]?[jt]s:\d|FST_ERR|ERR_[A-Z_]{3,}|SqliteError|SQLITE_|(Binder|Parser|Catalog|Conversion|IO|Invalid Input) Error|TypeError|RangeError|ReferenceError/i;

export interface Answer {
  statusCode: number;
  headers: Record<string, unknown>;
  body: string;
}

/** Everything wrong with an answer, as readable lines (empty: fine). */
export function answerProblems(res: Answer): string[] {
  const out: string[] = [];
  if (res.statusCode >= 500) out.push(`server error ${res.statusCode}`);
  const type = String(res.headers['content-type'] ?? '');
  const textual = !/spreadsheetml|application\/pdf/.test(type);
  if (textual && LEAK.test(res.body)) out.push(`leaks internals: ${res.body.slice(0, 200)}`);
  if (res.statusCode < 400) return out;
  if (!type.startsWith('application/json')) {
    if (res.body !== '') out.push(`error is ${type || 'untyped'}, not JSON`);
    return out;
  }
  let body: unknown;
  try {
    body = JSON.parse(res.body);
  } catch {
    return [...out, `error body is not JSON: ${res.body.slice(0, 100)}`];
  }
  const error = (body as { error?: Record<string, unknown> }).error;
  const shapeOk =
    typeof body === 'object' &&
    body !== null &&
    Object.keys(body).join() === 'error' &&
    typeof error === 'object' &&
    error !== null &&
    Object.keys(error).every((k) => ['code', 'message', 'field'].includes(k)) &&
    ERROR_CODES.includes(error.code as string) &&
    typeof error.message === 'string' &&
    error.message.length > 0 &&
    (error.field === undefined || typeof error.field === 'string');
  if (!shapeOk) out.push(`not the error shape: ${res.body.slice(0, 200)}`);
  else if (/must be must|\[object Object\]/.test(String(error?.message))) out.push(`garbled message: ${String(error?.message).slice(0, 200)}`);
  return out;
}

/** The error object of an answer in the error shape. */
export const errorOf = (res: Answer) => (JSON.parse(res.body) as { error: { code: string; message: string; field?: string } }).error;
