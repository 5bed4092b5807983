import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CatalogError,
  catalogRows,
  catalogTargetRows,
  dimensionsBySet,
  formatTargetRule,
  loadCatalog,
  metrics,
  metricsByName,
  parseCatalog,
  parseTargetRule,
  type TargetRule,
} from '../../etl/catalog/catalog.ts';
import { CsvError, parseCsv } from '../../etl/catalog/csv.ts';
import { streamNames } from '../../core/contract.ts';

// ---- inline fixtures: a small valid catalog that each test breaks in one place ----

const header = 'version,set,code,dimension,name_zh,name_en,unit,direction,period,target_rule,weight,source,metric,applies_to,drop_alert,basis';
type Row = Record<string, string>;

/** 47 + 88 reported count indicators; weights 46 x 2 + 8 and 87 x 1 + 13 sum to 100 per set. */
function validRows(): Row[] {
  const rows: Row[] = [];
  for (const [set, prefix, size, weight, last] of [
    ['county47', 'C', 47, '2', '8'],
    ['reform88', 'R', 88, '1', '13'],
  ] as const) {
    const dims = dimensionsBySet[set];
    for (let n = 1; n <= size; n++) {
      const code = `${prefix}${String(n).padStart(2, '0')}`;
      rows.push({
        version: 'test.1',
        set,
        code,
        dimension: dims[n % dims.length]!.zh,
        name_zh: `指标${code}`,
        name_en: `Indicator ${code}`,
        unit: 'count',
        direction: 'higher_better',
        period: 'annual',
        target_rule: '>= prev',
        weight: n === size ? last : weight,
        source: 'reported',
        metric: '',
        applies_to: 'all',
        drop_alert: '20%',
        basis: 'derived',
      });
    }
  }
  return rows;
}

const quote = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
function csv(rows: Row[], head = header): string {
  const columns = head.split(',');
  return [head, ...rows.map((r) => columns.map((c) => quote(r[c] ?? '')).join(','))].join('\n') + '\n';
}
/** The valid fixture with some rows changed; `edit` gets rows by code. */
function catalogWith(edit: (byCode: (code: string) => Row, rows: Row[]) => void, head = header): string {
  const rows = validRows();
  edit((code) => rows.find((r) => r.code === code)!, rows);
  return csv(rows, head);
}
function problemsOf(text: string): string[] {
  try {
    parseCatalog(text, 'test.csv');
  } catch (error) {
    expect(error).toBeInstanceOf(CatalogError);
    return (error as CatalogError).problems;
  }
  throw new Error('expected the catalog to be rejected');
}
// Line numbers in the fixture: line 1 is the header, C01 is line 2, C47 line 48, R01 line 49.
const line = (code: string) => (code.startsWith('C') ? 1 : 48) + Number(code.slice(1));

// ---- the real catalog ----

describe('the committed catalog (fixtures/reference/indicator-catalog.csv)', () => {
  const catalog = loadCatalog();

  it('has 47 county and 88 reform indicators, each set weighing 100', () => {
    expect(catalog.bySet('county47')).toHaveLength(47);
    expect(catalog.bySet('reform88')).toHaveLength(88);
    for (const set of ['county47', 'reform88'] as const) {
      expect(catalog.bySet(set).reduce((s, i) => s + i.weight, 0)).toBeCloseTo(100, 6);
    }
    expect(catalog.version).toMatch(/^\d{4}\.\d+$/);
  });

  it('uses the five county strengths and the reform tasks as dimensions, every one of them', () => {
    expect(new Set(catalog.bySet('county47').map((i) => i.dimension))).toEqual(new Set(['政治引领强', '组织功能强', '服务阵地强', '制度机制强', '作用发挥强']));
    expect(new Set(catalog.bySet('reform88').map((i) => i.dimension))).toEqual(new Set(dimensionsBySet.reform88.map((d) => d.zh)));
  });

  it('computes every stream-sourced indicator from a known metric of its own stream, and every metric is used (by an indicator or an overview tile)', () => {
    for (const i of catalog.indicators.filter((i) => i.source !== 'reported')) {
      const metric = metricsByName.get(i.metric ?? '');
      expect(metric, i.code).toBeDefined();
      expect(metric!.source, i.code).toBe(i.source);
      expect(metric!.unit, i.code).toBe(i.unit);
    }
    const used = new Set(catalog.indicators.map((i) => i.metric));
    expect(metrics.filter((m) => !used.has(m.name) && !m.overviewTile).map((m) => m.name)).toEqual([]);
  });

  it('names only contract streams in the metric list, each metric once', () => {
    for (const m of metrics) for (const s of m.streams) expect(streamNames).toContain(s);
    expect(metricsByName.size).toBe(metrics.length);
  });

  it('applies the city-matching indicator to the service-complex pilots only', () => {
    expect(catalog.indicators.filter((i) => i.appliesTo !== 'all').map((i) => i.code)).toEqual(['C19']);
    expect(catalog.get('C19')).toMatchObject({ metric: 'service_complex_city_match_share', target: { op: '>=', value: 50, percent: true } });
  });

  it('keeps the mediation success target the 2023 review is calibrated to, with the 2022 override', () => {
    expect(catalog.targetFor('C40', 2023)).toEqual({ op: '>=', value: 72, percent: true });
    expect(catalog.targetFor('C40', 2022)).toEqual({ op: '>=', value: 70, percent: true });
    expect(() => catalog.targetFor('X99', 2023)).toThrow(/no indicator X99/);
  });

  it('is saved as UTF-8 with a BOM so that Excel shows the Chinese names', () => {
    const path = fileURLToPath(new URL('../../fixtures/reference/indicator-catalog.csv', import.meta.url));
    expect(readFileSync(path).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it('gives dim_indicator rows that fit sql/schema/indicator.sql', async () => {
    const ddl = readFileSync(fileURLToPath(new URL('../../sql/schema/indicator.sql', import.meta.url)), 'utf8');
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    try {
      await conn.run(ddl);
      const sqlValue = (v: unknown) =>
        v === null ? 'NULL' : typeof v === 'string' ? `'${v.replaceAll("'", "''")}'` : String(v);
      const insert = async (table: string, rows: object[]) => {
        for (const row of rows) {
          await conn.run(`INSERT INTO ${table} (${Object.keys(row).join(', ')}) VALUES (${Object.values(row).map(sqlValue).join(', ')})`);
        }
      };
      await insert('dim_indicator', catalogRows(catalog));
      await insert('dim_indicator_target', catalogTargetRows(catalog));
      const summary = await conn.runAndReadAll(
        `SELECT indicator_set, count(*)::INTEGER AS n, round(sum(weight), 6)::DOUBLE AS w, count(DISTINCT catalog_version)::INTEGER AS v
         FROM dim_indicator GROUP BY ALL ORDER BY 1`,
      );
      expect(summary.getRowObjectsJson()).toEqual([
        { indicator_set: 'county47', n: 47, w: 100, v: 1 },
        { indicator_set: 'reform88', n: 88, w: 100, v: 1 },
      ]);
      const c40 = await conn.runAndReadAll(`SELECT year, target_op, target_value, target_percent FROM dim_indicator_target WHERE code = 'C40'`);
      expect(c40.getRowObjectsJson()).toEqual([{ year: 2022, target_op: '>=', target_value: 70, target_percent: true }]);
    } finally {
      conn.closeSync();
      db.closeSync();
    }
  });
});

describe('catalogRows', () => {
  it('flattens each target rule into plain columns', () => {
    const catalog = parseCatalog(
      catalogWith((c) => {
        Object.assign(c('C01'), { unit: 'percent', direction: 'target_band', target_rule: 'between 90% and 100%', drop_alert: '' });
        Object.assign(c('C02'), { unit: 'boolean', target_rule: '= true', drop_alert: '' });
        Object.assign(c('C03'), { unit: 'percent', target_rule: '>= prev +1pt' });
        c('C04').target_rule = '>= prev +5%';
      }),
      'test.csv',
    );
    const byCode = new Map(catalogRows(catalog).map((r) => [r.code, r]));
    expect(byCode.get('C01')).toMatchObject({ catalog_version: 'test.1', target_op: 'between', target_low: 90, target_high: 100, target_percent: true, target_value: null, drop_alert: null });
    expect(byCode.get('C02')).toMatchObject({ target_op: '=', target_value: 1, target_percent: null });
    expect(byCode.get('C03')).toMatchObject({ target_op: '>=prev', target_points: 1, target_relative: null });
    expect(byCode.get('C04')).toMatchObject({ target_op: '>=prev', target_relative: 5, target_points: null, drop_alert: 20 });
    expect(byCode.get('R01')).toMatchObject({ sort_order: 48, dimension_en: expect.any(String) });
  });
});

// ---- validation: each problem, with file, line and code in its message ----

describe('parseCatalog rejects', () => {
  it('the valid fixture itself is accepted', () => {
    const catalog = parseCatalog(csv(validRows()), 'test.csv');
    expect(catalog.indicators).toHaveLength(135);
    expect(catalog.version).toBe('test.1');
  });

  it('a duplicate code, naming both lines', () => {
    const problems = problemsOf(catalogWith((c) => (c('C02').code = 'C01')));
    expect(problems).toContain(`test.csv:3: C01: duplicate code (first on line 2)`);
  });

  it('a set without exactly 47 or 88 indicators', () => {
    expect(problemsOf(catalogWith((_, rows) => rows.splice(rows.findIndex((r) => r.code === 'R88'), 1)))).toContain(
      'test.csv: set reform88: has 87 indicators, expected exactly 88',
    );
    expect(problemsOf(catalogWith((c) => (c('R01').set = 'county47')))).toEqual(
      expect.arrayContaining(['test.csv: set county47: has 48 indicators, expected exactly 47', 'test.csv: set reform88: has 87 indicators, expected exactly 88']),
    );
  });

  it('weights that do not sum to 100 per set, beyond 0.001', () => {
    expect(problemsOf(catalogWith((c) => (c('C01').weight = '2.5')))).toContain('test.csv: set county47: weights sum to 100.5, expected 100');
    expect(() => parseCatalog(catalogWith((c) => (c('C01').weight = '2.0005')), 'test.csv')).not.toThrow();
    expect(problemsOf(catalogWith((c) => (c('R02').weight = 'two')))).toContain('test.csv:50: R02: weight "two" must be a number above 0 and at most 100');
  });

  it.each([
    ['unit', 'C05', 'pieces', 'unknown unit "pieces" (expected one of: count, percent, yuan, days, boolean, ratio)'],
    ['direction', 'C05', 'up', 'unknown direction "up" (expected one of: higher_better, lower_better, target_band)'],
    ['period', 'C05', 'weekly', 'unknown period "weekly" (expected one of: annual, quarterly, monthly)'],
    ['source', 'C05', 'survey', 'unknown source "survey" (expected one of: reported, mediation, insurance, assistance, training, funding)'],
    ['applies_to', 'C05', 'pilots', 'unknown applies_to "pilots" (expected one of: all, service_complex_pilot)'],
    ['dimension', 'R05', '政治引领强', 'unknown dimension "政治引领强" for set reform88 (expected one of: 思想引领、建功立业、素质提升、地位提高、队伍壮大、组织保障)'],
    ['set', 'C05', 'county48', 'unknown set "county48" (expected one of: county47, reform88)'],
  ])('an unknown %s', (column, code, value, message) => {
    expect(problemsOf(catalogWith((c) => (c(code)[column] = value)))).toContain(`test.csv:${line(code)}: ${code}: ${message}`);
  });

  it('a target rule that does not parse, or does not suit the unit and direction', () => {
    expect(problemsOf(catalogWith((c) => (c('C07').target_rule = 'at least 5')))).toContain(
      'test.csv:8: C07: target_rule: cannot read target rule "at least 5" (expected one of: >= N, >= N%, <= N, <= N%, = true, >= prev, >= prev +N%, >= prev +Npt, between A% and B%)',
    );
    const mismatch = problemsOf(
      catalogWith((c) => {
        c('C08').target_rule = '>= 90%'; // count with a percent target
        Object.assign(c('C09'), { unit: 'percent', target_rule: '>= 90' }); // percent without %
        Object.assign(c('C10'), { direction: 'lower_better', target_rule: '>= 5' });
        Object.assign(c('C11'), { unit: 'boolean', target_rule: '>= 1', drop_alert: '' });
        c('C12').target_rule = '>= prev +1pt'; // points on a count
        c('C13').target_rule = 'between 1 and 5'; // band without target_band
      }),
    );
    expect(mismatch).toEqual([
      'test.csv:9: C08: target_rule ">= 90%": a % target needs unit percent, not count',
      `test.csv:10: C09: target_rule ">= 90": a percent indicator's target needs a % sign (write 90% for ninety percent)`,
      'test.csv:11: C10: target_rule ">= 5": >= does not suit direction lower_better',
      'test.csv:12: C11: target_rule ">= 1": a yes/no indicator takes "= true"',
      'test.csv:13: C12: target_rule ">= prev +1pt": "+pt" (percentage points) needs unit percent, not count',
      'test.csv:14: C13: target_rule "between 1 and 5": a band needs direction target_band, not higher_better',
    ]);
  });

  it('a stream-sourced indicator without a metric, with an unknown one, or with another stream\'s', () => {
    const problems = problemsOf(
      catalogWith((c) => {
        Object.assign(c('C40'), { source: 'mediation', metric: '' });
        Object.assign(c('C41'), { source: 'mediation', metric: 'mediation_wins' });
        Object.assign(c('C42'), { source: 'mediation', metric: 'members' });
        Object.assign(c('C43'), { source: 'mediation', metric: 'mediation_success_rate' }); // count vs percent
      }),
    );
    expect(problems).toEqual([
      'test.csv:41: C40: source mediation needs a metric (one of: mediation_success_rate, mediation_successes, wage_mediation_successes, mediation_success_amount, mediation_days_to_close)',
      'test.csv:42: C41: unknown metric "mediation_wins" (not in etl/catalog/metrics.ts)',
      'test.csv:43: C42: metric members is computed from source insurance, but the indicator\'s source is mediation',
      'test.csv:44: C43: metric mediation_success_rate is in percent, but the indicator\'s unit is count',
    ]);
  });

  it('a reported indicator with a metric', () => {
    expect(problemsOf(catalogWith((c) => (c('R10').metric = 'members')))).toEqual([
      `test.csv:58: R10: a reported indicator has no metric, but metric is "members" (clear it, or set source to the metric's stream)`,
    ]);
  });

  it('a malformed CSV: an unquoted comma shifts the fields, an unclosed quote ends the file', () => {
    const rows = validRows();
    const text = csv(rows).replace('Indicator C32', 'Employer replies (one letter, two opinions)');
    expect(problemsOf(text)).toEqual(['test.csv:33: C32: malformed CSV: 17 fields, the header has 16 (an unquoted comma, or a missing field?)']);
    const unclosed = csv(rows).replace('Indicator R04', '"Publicity items on labour');
    expect(problemsOf(unclosed)).toEqual(['test.csv:52: malformed CSV: a quoted field is never closed (missing ")']);
  });

  it('a missing or unknown column, and rows that disagree on the version', () => {
    expect(problemsOf(csv(validRows(), header.replace(',metric', ''))).join('\n')).toMatch(/test\.csv:1: header lacks column\(s\) metric/);
    expect(problemsOf(catalogWith(() => {}, header + ',wieght'))).toContain(
      'test.csv:1: unknown column "wieght" (allowed: version, set, code, dimension, name_zh, name_en, unit, direction, period, target_rule, weight, source, metric, applies_to, drop_alert, basis, target_YYYY)',
    );
    expect(problemsOf(catalogWith((c) => (c('R20').version = 'test.2')))).toEqual([
      'test.csv: rows disagree on the version: "test.1" (first on line 2), "test.2" (first on line 68)',
    ]);
  });

  it('a drop_alert that is not a percentage', () => {
    expect(problemsOf(catalogWith((c) => (c('C20').drop_alert = '0.1')))).toEqual([
      'test.csv:21: C20: drop_alert "0.1" must be a percentage above 0% and at most 100%, or empty',
    ]);
  });

  it('collects every problem in one error instead of stopping at the first', () => {
    const text = catalogWith((c) => {
      c('C02').code = 'C01';
      c('C05').unit = 'pieces';
      c('R07').target_rule = '>> 3';
      c('R88').weight = '14';
    });
    expect(() => parseCatalog(text, 'test.csv')).toThrow(
      /^indicator catalog test\.csv is invalid \(4 problems\):\n {2}test\.csv:3: C01: duplicate code[^\n]*\n {2}test\.csv:6: C05: unknown unit[^\n]*\n {2}test\.csv:55: R07: target_rule: cannot read[^\n]*\n {2}test\.csv: set reform88: weights sum to 101, expected 100$/,
    );
  });
});

// ---- per-year targets ----

describe('per-year target overrides (target_YYYY columns)', () => {
  const head = header.replace('target_rule', 'target_rule,target_2025,target_2026');
  it('apply to their year; other years use target_rule', () => {
    const catalog = parseCatalog(
      catalogWith((c) => {
        c('C01').target_2025 = '>= prev +10%';
        c('C02').target_2026 = '>= 3';
      }, head),
      'test.csv',
    );
    expect(catalog.targetFor('C01', 2025)).toEqual({ op: '>=prev', relative: 10 });
    expect(catalog.targetFor('C01', 2024)).toEqual({ op: '>=prev' });
    expect(catalog.targetFor('C01', 2026)).toEqual({ op: '>=prev' });
    expect(catalog.targetFor('C02', 2026)).toEqual({ op: '>=', value: 3, percent: false });
    expect(catalog.get('C01')!.targetsByYear).toEqual({ 2025: { op: '>=prev', relative: 10 } });
    expect(catalogTargetRows(catalog).map((r) => [r.code, r.year, r.target_rule])).toEqual([
      ['C01', 2025, '>= prev +10%'],
      ['C02', 2026, '>= 3'],
    ]);
  });

  it('are validated like the default, naming the column', () => {
    expect(problemsOf(catalogWith((c) => (c('C03').target_2025 = '>= lots'), head))).toEqual([
      expect.stringMatching(/^test\.csv:4: C03: target_2025: cannot read target rule ">= lots"/),
    ]);
  });
});

// ---- the CSV reader ----

describe('parseCsv', () => {
  it('reads quoted commas, doubled quotes, line breaks in quotes, CRLF and a BOM', () => {
    const text = '\ufeffa,b,c\r\n1,"x, y","say ""hi"""\r\n2,"two\nlines",\r\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', 'x, y', 'say "hi"'] },
      { line: 3, fields: ['2', 'two\nlines', ''] },
    ]);
  });

  it('reads the draft rows a comma split breaks (C32, R02, R70) into 12 fields', () => {
    const draft = [
      'county47,C32,制度机制强,工会劳动法律监督“一函两书”整改回复率,"Employer replies to union labour-law supervision notices (“one letter, two opinions”)",percent,higher_better,annual,>= 95%,2,reported,published-practice',
      'reform88,R70,队伍壮大,货车司机、快递员、网约车司机、外卖配送员等重点群体入会率,"Union membership of truck drivers, couriers, ride-hailing and delivery riders",percent,higher_better,annual,>= 80%,1.5,reported,published-practice',
    ].join('\r\n');
    const records = parseCsv(draft);
    expect(records.map((r) => r.fields.length)).toEqual([12, 12]);
    expect(records[1]!.fields[4]).toBe('Union membership of truck drivers, couriers, ride-hailing and delivery riders');
  });

  it('skips blank rows (Excel leaves ",,," behind) but keeps line numbers true', () => {
    expect(parseCsv('a,b\n\n,\n1,2\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 4, fields: ['1', '2'] },
    ]);
  });

  it('rejects a stray quote and text after a closing quote, with the line', () => {
    expect(() => parseCsv('a,b\n1,say "hi"\n')).toThrow(new CsvError(2, 'a quote inside an unquoted field (quote the whole field and double the quote: "a ""b"" c")'));
    expect(() => parseCsv('a,b\n1,"x"y\n')).toThrow(/^line 2: unexpected text after a closing quote/);
    expect(() => parseCsv('a,b\n1,"x\n2,3\n')).toThrow(/^line 2: a quoted field is never closed/);
  });
});

// ---- target rules ----

describe('parseTargetRule', () => {
  it.each<[string, TargetRule]>([
    ['>= 90%', { op: '>=', value: 90, percent: true }],
    ['>= 1', { op: '>=', value: 1, percent: false }],
    ['>= 1.2', { op: '>=', value: 1.2, percent: false }],
    ['<= 15', { op: '<=', value: 15, percent: false }],
    ['<= 15%', { op: '<=', value: 15, percent: true }],
    ['= true', { op: '=', value: true }],
    ['= false', { op: '=', value: false }],
    ['>= prev', { op: '>=prev' }],
    ['>= prev +5%', { op: '>=prev', relative: 5 }],
    ['>= prev +1pt', { op: '>=prev', points: 1 }],
    ['>= prev +0.5pts', { op: '>=prev', points: 0.5 }],
    ['between 90% and 100%', { op: 'between', low: 90, high: 100, percent: true }],
    ['between 0.8 and 1.2', { op: 'between', low: 0.8, high: 1.2, percent: false }],
    // as typed on a Chinese keyboard or squeezed together in Excel
    ['≥90％', { op: '>=', value: 90, percent: true }],
    ['≤ 7', { op: '<=', value: 7, percent: false }],
    ['>=prev+5%', { op: '>=prev', relative: 5 }],
    ['  = TRUE ', { op: '=', value: true }],
    ['Between 85%\u3000and 100%', { op: 'between', low: 85, high: 100, percent: true }],
  ])('%s', (text, rule) => {
    expect(parseTargetRule(text)).toEqual(rule);
  });

  it.each(['', '90%', '> 90%', '>= ', '>= 9O%', '= yes', '>= prev 5%', '>= prev -5%', '>= prev +0%', '>= prev +5', 'between 90% and 100', 'between 100% and 90%', '>= 1,000', '>= 1e3', '>= 90%%'])(
    'rejects %j',
    (text) => {
      expect(() => parseTargetRule(text)).toThrow();
    },
  );

  const number = fc.integer({ min: -100_000, max: 100_000 }).map((n) => n / 100);
  const positive = fc.integer({ min: 1, max: 10_000 }).map((n) => n / 100);
  const rule: fc.Arbitrary<TargetRule> = fc.oneof(
    fc.record({ op: fc.constantFrom('>=' as const, '<=' as const), value: number, percent: fc.boolean() }),
    fc.record({ op: fc.constant('=' as const), value: fc.boolean() }),
    fc.constant({ op: '>=prev' as const }),
    fc.record({ op: fc.constant('>=prev' as const), relative: positive }),
    fc.record({ op: fc.constant('>=prev' as const), points: positive }),
    fc.tuple(number, number, fc.boolean()).map(([a, b, percent]) => ({ op: 'between' as const, low: Math.min(a, b), high: Math.max(a, b), percent })),
  );

  it('round-trips every rule through its canonical text', () => {
    fc.assert(
      fc.property(rule, (r) => {
        expect(parseTargetRule(formatTargetRule(r))).toEqual(r);
      }),
    );
  });

  it('reads any spacing of a valid rule the same way', () => {
    const spacing = fc.constantFrom('', ' ', '  ', '\t');
    fc.assert(
      fc.property(rule, fc.array(spacing, { minLength: 12, maxLength: 12 }), (r, spaces) => {
        const canonical = formatTargetRule(r);
        // Any run of spaces, or none, between the words and around the rule.
        const respaced = spaces[0] + canonical.split(' ').map((word, k) => (k === 0 ? '' : spaces[k]) + word).join('') + spaces[11];
        expect(parseTargetRule(respaced)).toEqual(r);
        expect(formatTargetRule(parseTargetRule(respaced))).toBe(canonical);
      }),
    );
  });
});
