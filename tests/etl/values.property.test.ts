// Property tests of the value parsers (etl/validate/values.ts), run in DuckDB exactly as a load runs
// them: every valid form round-trips to the same value; anything else is refused with a reason; no
// input makes the SQL fail.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enums, type ValueKind } from '../../core/contract.ts';
import { lit } from '../../etl/duck.ts';
import { valueSql } from '../../etl/validate/values.ts';
import { initWarehouse } from '../../etl/warehouse.ts';

let db: DuckDBInstance;
let conn: DuckDBConnection;
beforeAll(async () => {
  db = await DuckDBInstance.create(':memory:');
  conn = await db.connect();
  await initWarehouse(conn);
});
afterAll(() => {
  conn.closeSync();
  db.closeSync();
});

/** Parse many values in one query: [typed value as text, reason] per input. */
async function parse(kind: ValueKind, inputs: string[]): Promise<{ typed: string | null; reason: string | null }[]> {
  if (inputs.length === 0) return [];
  const sql = valueSql(kind);
  const typed = sql.inRange ? `CASE WHEN ${sql.inRange('p')} THEN p END` : 'p';
  const values = inputs.map((v, i) => `(${i}, ${lit(v)})`).join(', ');
  const reader = await conn.runAndReadAll(
    `SELECT (${typed})::VARCHAR AS typed, ${sql.invalid('v', 'p')} AS reason
     FROM (SELECT i, v, ${sql.parse('v')} AS p FROM (VALUES ${values}) t(i, v)) ORDER BY i`,
  );
  return reader.getRowObjectsJson() as { typed: string | null; reason: string | null }[];
}

const today = new Date();
const pad = (n: number) => String(n).padStart(2, '0');
const dateArb = fc.date({ min: new Date(Date.UTC(2000, 0, 1)), max: new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - 1)), noInvalidDate: true });
const dateForms = (d: Date) => {
  const [y, m, day] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
  return [`${y}-${pad(m)}-${pad(day)}`, `${y}/${m}/${day}`, `${y}.${m}.${day}`, `${y}年${m}月${day}日`, `${y}-${pad(m)}-${pad(day)} 00:00:00`];
};

describe('dates', () => {
  it('every contract form of a valid date parses to that date', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(dateArb, { minLength: 1, maxLength: 50 }), async (dates) => {
        const inputs = dates.flatMap(dateForms);
        const out = await parse({ kind: 'date' }, inputs);
        out.forEach((o, i) => {
          expect(o.reason).toBeNull();
          expect(o.typed).toBe(dates[Math.floor(i / 5)].toISOString().slice(0, 10));
        });
      }),
      { numRuns: 30 },
    );
  });

  it('anything else is refused with a reason and never throws', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ maxLength: 20 }), { minLength: 1, maxLength: 50 }), async (inputs) => {
        const out = await parse({ kind: 'date' }, inputs.map((s) => s.trim()).filter((s) => s !== ''));
        for (const o of out) expect(o.typed === null).toBe(o.reason !== null);
      }),
      { numRuns: 50 },
    );
    const out = await parse({ kind: 'date' }, ['2023-02-29', '2023-13-01', '2023/0/1', '2099-01-01', '1999-12-31', '2023-07-01x', '45108']);
    expect(out.map((o) => o.typed)).toEqual([null, null, null, null, null, null, null]);
    expect(out.every((o) => o.reason)).toBe(true);
  });
});

describe('amounts', () => {
  const withSeparators = (n: bigint) => n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  it('yuan with up to two decimals round-trip, with or without thousands separators', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.bigInt({ min: 0n, max: 99_999_999_999n }), { minLength: 1, maxLength: 50 }), async (cents) => {
        const texts = cents.flatMap((c) => {
          const yuan = c / 100n;
          const frac = pad(Number(c % 100n));
          return [`${yuan}.${frac}`, `${withSeparators(yuan)}.${frac}`];
        });
        const out = await parse({ kind: 'amount' }, texts);
        out.forEach((o, i) => {
          expect(o.reason).toBeNull();
          const c = cents[Math.floor(i / 2)];
          expect(o.typed).toBe(`${c / 100n}.${pad(Number(c % 100n))}`);
        });
      }),
      { numRuns: 30 },
    );
  });

  it('negative, three-decimal and malformed amounts are refused with their reason', async () => {
    const out = await parse({ kind: 'amount', positive: true }, ['-5', '12.345', '1,23', '¥100', 'abc', '0', '1e5']);
    expect(out.map((o) => o.reason)).toEqual([
      '金额不能为负 / negative amount',
      '金额最多两位小数 / more than 2 decimals',
      expect.stringContaining('not an amount'),
      expect.stringContaining('not an amount'),
      expect.stringContaining('not an amount'),
      '金额必须大于0 / amount must be greater than 0',
      expect.stringContaining('not an amount'),
    ]);
  });
});

describe('codes, enumerations, booleans, integers, periods', () => {
  it('every county code is accepted and no other 6-digit code is', async () => {
    const counties = (await conn.runAndReadAll('SELECT county_code FROM dim_county')).getRows().map((r) => String(r[0]));
    const known = new Set(counties);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 100000, max: 999999 }).map(String), { minLength: 1, maxLength: 100 }), async (codes) => {
        const out = await parse({ kind: 'county' }, [...codes, ...counties.slice(0, 5)]);
        [...codes, ...counties.slice(0, 5)].forEach((c, i) => expect(out[i].typed !== null).toBe(known.has(c)));
      }),
      { numRuns: 20 },
    );
  });

  it('each enumeration accepts its Chinese label and English code in any case, and nothing else', async () => {
    for (const values of Object.values(enums)) {
      const kind: ValueKind = { kind: 'enum', values };
      const entries = Object.entries(values);
      const out = await parse(kind, entries.flatMap(([en, zh]) => [en, en.toUpperCase(), zh]));
      out.forEach((o, i) => expect(o.typed).toBe(entries[Math.floor(i / 3)][0]));
      await fc.assert(
        fc.asyncProperty(fc.string({ minLength: 1, maxLength: 12 }), async (s) => {
          const [o] = await parse(kind, [s]);
          const isKnown = entries.some(([en, zh]) => en === s.toLowerCase() || zh === s);
          expect(o.typed !== null).toBe(isKnown);
          expect(o.reason !== null).toBe(!isKnown);
        }),
        { numRuns: 20 },
      );
    }
  });

  it('booleans, integers and periods', async () => {
    expect((await parse({ kind: 'boolean' }, ['是', '否', 'YES', 'no', 'true', 'False', '1', '0', 'maybe'])).map((o) => o.typed)).toEqual([
      'true', 'false', 'true', 'false', 'true', 'false', 'true', 'false', null,
    ]);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: -10, max: 3000 }), { minLength: 1, maxLength: 50 }), async (ns) => {
        const out = await parse({ kind: 'integer', min: 2015, max: 2100 }, ns.map(String));
        ns.forEach((n, i) => expect(out[i].typed).toBe(n >= 2015 && n <= 2100 ? String(n) : null));
      }),
      { numRuns: 20 },
    );
    expect((await parse({ kind: 'period' }, ['2023', '2023-Q2', '2023q4', '2023-7', '2023-07', '2023-13', '2023-Q5', '23'])).map((o) => o.typed)).toEqual([
      '2023', '2023-Q2', '2023-Q4', '2023-07', '2023-07', null, null, null,
    ]);
  });
});

describe('the usual shapes are typed without a regular expression, as the regular expression would type them', () => {
  // The contract's shapes (DATA-CONTRACT.md) as regular expressions: values.ts tries GLOBs for the
  // usual cases first, and a value must be typed the same as by these alone.
  const shapes: { kind: ValueKind; byShape: string }[] = [
    {
      kind: { kind: 'date' },
      byShape: String.raw`CASE WHEN regexp_full_match(translate(v, '年月./日', '----'), '\d{4}-\d{1,2}-\d{1,2}( \d{1,2}:\d{2}(:\d{2})?)?')
                               THEN try_cast(translate(v, '年月./日', '----') AS DATE) END`,
    },
    { kind: { kind: 'amount' }, byShape: String.raw`CASE WHEN regexp_full_match(v, '(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?') THEN replace(v, ',', '')::DECIMAL(14, 2) END` },
    { kind: { kind: 'integer', min: 0, max: 999_999_999 }, byShape: String.raw`CASE WHEN regexp_full_match(v, '\d{1,9}') THEN v::INTEGER END` },
  ];
  // Strings near the shapes: digits and the separators they use, and a few that they do not.
  const nearShape = fc.array(fc.constantFrom('0', '1', '2', '7', '9', '-', '.', '/', '年', '月', '日', ',', ' ', ':', 'x', '１'), { minLength: 1, maxLength: 14 }).map((cs) => cs.join(''));
  // Strings of the usual shapes, with any digits: months and days that do not exist, years before 1000.
  const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^[0-9]{${min},${max}}$`));
  const shaped = fc
    .tuple(digits(3, 5), fc.constantFrom('/', '.', '-', '年'), digits(1, 3), fc.constantFrom('/', '.', '-', '月'), digits(1, 3), fc.constantFrom('', '日'))
    .map((parts) => parts.join(''));
  const usual = ['2023-07-01', '202/7/1', '20231/7/1', '2023/123/1', '2023/7/123', '2023年7月1', '2023/7/1', '2023.07.1', '2023-7-01', '2023年7月1日', '2023年07月01日', '2023/7/1日', '2023年7/1', '12345', '12345.6', '12,345.67', '0.5', '.5', '5.', '1.2.3'];
  for (const { kind, byShape } of shapes) {
    it(kind.kind, async () => {
      const same = async (inputs: string[]) => {
        const sql = valueSql(kind);
        const values = inputs.map((v, i) => `(${i}, ${lit(v)})`).join(', ');
        const reader = await conn.runAndReadAll(
          `SELECT v, (${sql.parse('v')})::VARCHAR AS fast, (${byShape})::VARCHAR AS shape FROM (VALUES ${values}) t(i, v) ORDER BY i`,
        );
        for (const r of reader.getRowObjectsJson() as { v: string; fast: string | null; shape: string | null }[]) expect(r.fast, r.v).toBe(r.shape);
      };
      await same(usual);
      await fc.assert(fc.asyncProperty(fc.array(fc.oneof(nearShape, shaped), { minLength: 1, maxLength: 100 }), same), { numRuns: 100 });
    });
  }
});
