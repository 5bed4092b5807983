// --messy: replaces a few percent of a file's rows with realistic bad rows, each breaking exactly one
// contract rule in one column, and records them (line, column, defect) for the loader's tests.
//
// A bad row is the good row it replaces with one defect; its id is not used by any other row, except
// for `duplicate_key`, which repeats the key of the last good row before it in the same file (so the
// duplicate is always the second occurrence, the one the contract rejects).
import { streams, type Column, type StreamName } from '../../core/contract.ts';
import { formatParts, partsOf, type DateFormat } from './calendar.ts';
import { Rng } from './random.ts';
import type { FileStyle } from './style.ts';

export interface Corruption {
  /** Column index (contract order) the defect is in. */
  col: number;
  defect: string;
  /** The cell text to write instead of the formatted value ('' = empty); undefined when `vals` was changed. */
  text?: string;
  /** XLSX cell value for `text` when it should not be a string (a negative number, say). */
  cell?: unknown;
}

interface Formatter {
  text(col: number, v: any): string;
}

export interface MessyContext {
  countyCodes: ReadonlySet<string>;
  cityCodes: ReadonlySet<string>;
  /** Indicator codes computed from streams, by period kind (a report of one is rejected). */
  computedByPeriod: Record<'annual' | 'quarterly' | 'monthly', string[]>;
  /** The catalog's code for every indicator (unknown codes are made up outside it). */
  indicatorCodes: ReadonlySet<string>;
}

// Codes that look right but are not county-level divisions of Guangxi (nor its cities).
// 450127 is the old code of 横县 (now 横州市 450181); 452101 an old prefecture-era code; 460105 is in Hainan.
const unknownCodes = ['450199', '450127', '451099', '450000', '452101', '450822', '460105'];
const lookAlike: Record<string, string> = {
  成: '城', 功: '攻', 败: '贝', 住: '驻', 院: '阮', 险: '检', 疾: '急', 病: '并', 困: '因', 难: '男', 训: '讯',
  培: '陪', 赛: '塞', 支: '枝', 付: '符', 审: '宙', 核: '该', 撤: '撒', 回: '同', 档: '挡', 资: '姿', 金: '全',
  级: '极', 技: '枝', 师: '帅', 工: '公', 中: '钟', 高: '搞', 会: '汇', 调: '掉', 劳: '涝', 合: '和',
  同: '铜', 伤: '仿', 其: '期', 他: '她', 法: '发', 社: '杜', 人: '入', 疗: '了', 意: '竟', 外: '夕',
  重: '从', 大: '太', 女: '如', 殊: '珠', 种: '钟', 度: '渡', 相: '想', 对: '队', 致: '至', 学: '字', 失: '矢',
  业: '亚', 灾: '火', 害: '割', 残: '惨', 线: '钱', 申: '甲', 请: '清', 受: '爱', 理: '里', 转: '专', 介: '个',
  在: '再', 解: '届', 脱: '拖', 退: '腿', 出: '击', 认: '忍', 定: '锭', 徒: '徙', 首: '道', 席: '度', 特: '持',
  县: '悬', 加: '家', 强: '墙', 年: '午', 文: '交', 化: '花', 宫: '官', 务: '物', 综: '棕', 体: '休', 驿: '绎',
  站: '战', 帮: '邦', 扶: '抚', 全: '金', 总: '忽', 区: '去', 财: '材', 政: '正', 市: '巾', 配: '酉', 套: '奎',
};

type DefectFn = (r: Rng, v: any[], c: number, fmt: Formatter) => Corruption | null;

export class MessyInjector {
  private readonly rng: Rng;
  private readonly columns: Column[];
  private readonly col: (name: string) => number;
  private readonly keyCols: number[];
  private readonly defects: { name: string; weight: number; run: (v: any[], last: any[] | null, f: Formatter) => Corruption | null }[] = [];

  constructor(
    seed: number,
    rel: string,
    readonly stream: StreamName,
    private readonly style: FileStyle,
    private readonly ctx: MessyContext,
    readonly rate: number,
  ) {
    this.rng = new Rng(seed, 'messy', rel);
    this.columns = streams[stream].columns;
    this.col = (name) => this.columns.findIndex((c) => c.name === name);
    this.keyCols = streams[stream].key.map(this.col);
    this.build();
  }

  /** Whether the next row is to be bad. */
  pick(): boolean {
    return this.rng.float() < this.rate;
  }

  /** Applies one applicable defect to `v` (a copy of the row), or returns null if none applies. */
  corrupt(v: any[], lastGood: any[] | null, fmt: Formatter): Corruption | null {
    const total = this.defects.reduce((s, d) => s + d.weight, 0);
    for (let attempt = 0; attempt < 12; attempt++) {
      let u = this.rng.float() * total;
      const d = this.defects.find((x) => (u -= x.weight) < 0) ?? this.defects[this.defects.length - 1]!;
      const hit = d.run(v, lastGood, fmt);
      if (hit) return hit;
    }
    return null;
  }

  private add(name: string, weight: number, run: (v: any[], last: any[] | null, f: Formatter) => Corruption | null): void {
    this.defects.push({ name, weight, run });
  }

  /** Runs a column-kind defect on a random column of the right kind. */
  private onColumns(name: string, weight: number, want: (c: Column) => boolean, fn: DefectFn): void {
    const cols = this.columns.map((c, i) => (want(c) ? i : -1)).filter((i) => i >= 0);
    if (cols.length === 0) return;
    this.add(name, weight, (v, _last, f) => fn(this.rng, v, this.rng.pick(cols), f));
  }

  private dateFormat(): DateFormat {
    return this.style.dates === 'cell' ? 'iso' : this.style.dates;
  }

  private build(): void {
    const { ctx } = this;
    const kind = (...kinds: string[]) => (c: Column) => kinds.includes(c.value.kind);

    this.onColumns('empty_required', 3, (c) => c.required, (_r, v, c) => ({ col: c, defect: 'empty_required', text: '' }));
    this.onColumns('impossible_date', 3, kind('date'), (r, v, c) => {
      if (v[c] < 0) return null;
      const [y] = partsOf(v[c]);
      const [m, d] = r.pick([[2, 30], [2, 31], [4, 31], [6, 31], [9, 31], [11, 31], [13, 1], [0, 15]] as const);
      const text = formatParts(y, m, d, this.dateFormat());
      return { col: c, defect: 'impossible_date', text };
    });
    this.onColumns('unknown_code', 3, kind('county', 'unit'), (r, v, c) => {
      const pool = this.columns[c]!.value.kind === 'county' ? [...unknownCodes, ...ctx.cityCodes] : unknownCodes;
      let code = r.pick(pool);
      if (ctx.countyCodes.has(code) || (this.columns[c]!.value.kind === 'unit' && ctx.cityCodes.has(code))) code = '450199';
      return { col: c, defect: 'unknown_code', text: code };
    });
    this.onColumns('negative_amount', 2, kind('amount'), (_r, v, c, f) => {
      if (v[c] <= 0) return null;
      return { col: c, defect: 'negative_amount', text: '-' + f.text(c, v[c]).replaceAll('"', ''), cell: this.numberCell(-v[c] / 100) };
    });
    this.onColumns('three_decimals', 2, kind('amount'), (r, v, c) => {
      const yuan = v[c] > 0 ? Math.floor(v[c] / 100) : 12;
      const text = `${yuan}.${r.range(1, 99)}${r.range(1, 9)}`.replace(/\.(\d)(\d)$/, '.0$1$2');
      return { col: c, defect: 'three_decimals', text, cell: this.numberCell(Number(text)) };
    });
    this.onColumns('zero_amount', 2, (c) => c.value.kind === 'amount' && c.value.positive === true, (_r, _v, c) => ({
      col: c,
      defect: 'zero_amount',
      text: '0',
      cell: this.numberCell(0),
    }));
    this.onColumns('not_a_number', 2, kind('integer', 'number', 'amount'), (r, _v, c) => {
      const k = this.columns[c]!.value.kind;
      const text = r.pick(k === 'integer' ? ['abc', '五十', '12a', '2.5'] : ['abc', '五十', '12a', '--']);
      return { col: c, defect: 'not_a_number', text };
    });
    this.onColumns('integer_out_of_range', 1, kind('integer'), (_r, v, c) => {
      const spec = this.columns[c]!.value;
      if (spec.kind !== 'integer') return null;
      const text = spec.min >= 1 && spec.min < 10 ? String(spec.min - 1) : `${v[c]}${v[c] % 10}`;
      return { col: c, defect: 'integer_out_of_range', text, cell: Number(text) };
    });
    this.onColumns('enum_typo', 3, kind('enum'), (r, v, c, f) => {
      if (v[c] < 0) return null;
      const spec = this.columns[c]!.value;
      if (spec.kind !== 'enum') return null;
      const valid = new Set([...Object.keys(spec.values), ...Object.values(spec.values)]);
      const text = typo(r, f.text(c, v[c]));
      return valid.has(text) ? null : { col: c, defect: 'enum_typo', text };
    });
    this.add('duplicate_key', 3, (v, last) => {
      if (last === null) return null;
      for (const k of this.keyCols) v[k] = last[k];
      return { col: this.keyCols[0]!, defect: 'duplicate_key' };
    });

    const c = this.col;
    const shiftBefore = (later: number, earlier: number, defect: string) =>
      this.add(defect, 3, (v) => {
        if (v[later] < 0 || v[earlier] < 0) return null;
        v[later] = v[earlier] - this.rng.range(1, 20);
        return { col: later, defect };
      });
    const missing = (dateCol: number, when: (v: any[]) => boolean, defect: string) =>
      this.add(defect, 2, (v) => {
        if (!when(v) || v[dateCol] < 0) return null;
        v[dateCol] = -1;
        return { col: dateCol, defect };
      });
    switch (this.stream) {
      case 'mediation': {
        const pending = Object.keys(enumValues('mediation', 'outcome')).indexOf('pending');
        shiftBefore(c('closed_date'), c('received_date'), 'closed_before_received');
        missing(c('closed_date'), (v) => v[c('outcome')] !== pending, 'closed_without_date');
        this.add('pending_with_closed_date', 2, (v) => {
          if (v[c('outcome')] === pending) v[c('closed_date')] = v[c('received_date')] + this.rng.range(3, 25);
          else if (v[c('closed_date')] >= 0) v[c('outcome')] = pending;
          else return null;
          return { col: c('closed_date'), defect: 'pending_with_closed_date' };
        });
        break;
      }
      case 'insurance_claim': {
        const paid = Object.keys(enumValues('insurance_claim', 'status')).indexOf('paid');
        shiftBefore(c('paid_date'), c('submitted_date'), 'paid_before_submitted');
        missing(c('paid_date'), (v) => v[c('status')] === paid, 'paid_without_date');
        break;
      }
      case 'assistance': {
        const active = Object.keys(enumValues('assistance', 'status')).indexOf('active');
        shiftBefore(c('closed_date'), c('opened_date'), 'closed_before_opened');
        missing(c('closed_date'), (v) => v[c('status')] !== active, 'closed_without_date');
        break;
      }
      case 'indicator_value': {
        const code = c('indicator_code');
        const period = c('period');
        this.add('unknown_indicator', 3, (v) => {
          const prefix = String(v[code]).startsWith('R') ? 'R' : 'C';
          let made = `${prefix}${this.rng.range(89, 99)}`;
          if (ctx.indicatorCodes.has(made)) made = `${prefix}0`;
          return { col: code, defect: 'unknown_indicator', text: made };
        });
        this.add('computed_indicator', 3, (v) => {
          const p = String(v[period]);
          const pool = ctx.computedByPeriod[/Q/.test(p) ? 'quarterly' : p.length === 7 ? 'monthly' : 'annual'];
          if (pool.length === 0) return null;
          v[code] = this.rng.pick(pool);
          return { col: code, defect: 'computed_indicator' };
        });
        this.add('period_mismatch', 3, (v) => {
          const p = String(v[period]);
          const year = p.slice(0, 4);
          v[period] = p.length === 4 ? `${year}-${this.rng.pick(['Q2', '07'])}` : year;
          return { col: period, defect: 'period_mismatch' };
        });
        this.add('bad_period', 1, (v) => {
          const year = String(v[period]).slice(0, 4);
          return { col: period, defect: 'bad_period', text: this.rng.pick([`${year}-13`, `${year}-Q5`, `${year}年度`, `${year}-00`]) };
        });
        break;
      }
    }
  }

  /** An XLSX numeric cell for a bad amount where the file has numeric amount cells; else the text is used. */
  private numberCell(n: number): unknown {
    return this.style.format === 'xlsx' && this.style.amounts === 'number' ? n : undefined;
  }
}

function enumValues(stream: StreamName, column: string): Record<string, string> {
  const spec = streams[stream].columns.find((c) => c.name === column)!.value;
  if (spec.kind !== 'enum') throw new Error(`${stream}.${column} is not an enum`);
  return spec.values;
}

/** A typing slip: a look-alike character in Chinese, swapped or dropped letters in English. */
export function typo(r: Rng, text: string): string {
  if (/[\u4e00-\u9fff]/.test(text)) {
    const chars = [...text];
    const candidates = chars.map((ch, i) => (lookAlike[ch] ? i : -1)).filter((i) => i >= 0);
    if (candidates.length === 0) return text + '类';
    const i = r.pick(candidates);
    chars[i] = lookAlike[chars[i]!]!;
    return chars.join('');
  }
  if (text.length < 3) return text + text[text.length - 1];
  const i = r.range(1, text.length - 2);
  const swapped = text.slice(0, i) + text[i + 1] + text[i] + text.slice(i + 2);
  return swapped !== text ? swapped : text.slice(0, i) + text.slice(i + 1);
}
