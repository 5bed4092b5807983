// Numbers as officials read them, one formatter for pages, charts and exports: separators, 万 and 亿
// with the precision of published reports, axis ticks that never repeat, partial months.
import { describe, expect, it } from 'vitest';
import {
  decimalsForStep,
  excelNumberFormat,
  formatCompact,
  formatFixed,
  formatMonth,
  formatNumber,
  formatScore,
  formatSentenceValue,
  formatTarget,
  formatGrowth,
  formatIndicatorValue,
  formatInteger,
  formatPercent,
  formatPointChange,
  formatQuantity,
  niceScale,
  formatRankChange,
  quantityParts,
  zhMagnitude,
} from '../../core/format.ts';

describe('Chinese magnitudes', () => {
  it('2,270,000 members read as 227万人', () => {
    expect(formatQuantity(2_270_000, 'people', 'zh-CN')).toBe('227万人');
  });
  it('1,097,000,000 yuan read as 10.97亿元', () => {
    expect(formatQuantity(1_097_000_000, 'yuan', 'zh-CN')).toBe('10.97亿元');
  });
  it('34,800 cases read as 3.48万件 (three significant digits in 万)', () => {
    expect(formatQuantity(34_800, 'cases', 'zh-CN')).toBe('3.48万件');
  });
  it('11,100,000 yuan read as 1,110万元 (the 万 figure keeps its separator)', () => {
    expect(formatQuantity(11_100_000, 'yuan', 'zh-CN')).toBe('1,110万元');
  });
  it('below 1万 the integer with a separator: 4,800件', () => {
    expect(formatQuantity(4800, 'cases', 'zh-CN')).toBe('4,800件');
  });
  it('trailing zeros go: 200,000 yuan is 20万元, 1,440,000 people 144万人', () => {
    expect(formatQuantity(200_000, 'yuan', 'zh-CN')).toBe('20万元');
    expect(formatQuantity(1_440_000, 'people', 'zh-CN')).toBe('144万人');
  });
  it('亿 keeps two decimals even when they are zero: 1.00亿', () => {
    expect(zhMagnitude(100_000_000)).toEqual({ value: '1.00', magnitude: '亿' });
  });
  it('99,996,000 does not become 10000万: it is 1.00亿', () => {
    expect(formatQuantity(99_996_000, 'yuan', 'zh-CN')).toBe('1.00亿元');
  });
  it('the parts split number and unit for the tiles', () => {
    expect(quantityParts(2_270_000, 'people', 'zh-CN')).toEqual({ value: '227', unit: '万人' });
  });
});

describe('English magnitudes', () => {
  it('2,270,000 people read as 2.27 million people', () => {
    expect(formatQuantity(2_270_000, 'people', 'en')).toBe('2.27 million people');
  });
  it('1,097,000,000 yuan read as ¥1.1 billion', () => {
    expect(formatQuantity(1_097_000_000, 'yuan', 'en')).toBe('¥1.1 billion');
  });
  it('hundreds of thousands take a K on the number: 156K people, ¥379K', () => {
    expect(formatQuantity(156_000, 'people', 'en')).toBe('156K people');
    expect(formatQuantity(379_000, 'yuan', 'en')).toBe('¥379K');
  });
  it('34,800 cases keep their digits with a separator', () => {
    expect(formatQuantity(34_800, 'cases', 'en')).toBe('34,800 cases');
  });
});

describe('percentages and changes', () => {
  it('a rate has two decimals: 72.2 reads 72.20%', () => {
    expect(formatPercent(72.2)).toBe('72.20%');
  });
  it('a missing rate is a dash, not 0%', () => {
    expect(formatPercent(null)).toBe('—');
    expect(formatQuantity(undefined, 'people', 'zh-CN')).toBe('—');
  });
  it('a change in points: +2.22个百分点 / −1.50 pts', () => {
    expect(formatPointChange(2.22, 'zh-CN')).toBe('+2.22个百分点');
    expect(formatPointChange(-1.5, 'en')).toBe('−1.50 pts');
  });
  it('growth has a sign and one decimal: +57.6%', () => {
    expect(formatGrowth(57.64)).toBe('+57.6%');
    expect(formatGrowth(-3)).toBe('−3.0%');
  });
  it('rank changes are arrows: up is ▲', () => {
    expect(formatRankChange(3)).toBe('▲3');
    expect(formatRankChange(-2)).toBe('▼2');
    expect(formatRankChange(0)).toBe('—');
    expect(formatRankChange(null)).toBe('—');
  });
  it('integers carry thousands separators in both languages: 支付笔数 152,119', () => {
    expect(formatInteger(152119)).toBe('152,119');
    expect(formatInteger(1_234_567.4)).toBe('1,234,567');
    expect(formatInteger(999)).toBe('999');
    expect(formatInteger(-4800)).toBe('-4,800');
    expect(formatInteger(null)).toBe('—');
  });
  it('decimals keep their separator and never print a negative zero', () => {
    expect(formatNumber(1234.5, 2)).toBe('1,234.50');
    expect(formatNumber(-0.004, 2)).toBe('0.00');
  });
  it('scores print as published, two decimals: 96.29', () => {
    expect(formatScore(96.2949)).toBe('96.29');
    expect(formatScore(null)).toBe('—');
  });
});

describe('indicator values by catalog unit', () => {
  it('percent, yuan, days, boolean', () => {
    expect(formatIndicatorValue(68.1, 'percent', 'zh-CN')).toBe('68.10%');
    expect(formatIndicatorValue(12345, 'count', 'zh-CN')).toBe('12,345');
    expect(formatIndicatorValue(100_000, 'yuan', 'zh-CN')).toBe('10万元');
    expect(formatIndicatorValue(12.5, 'days', 'zh-CN')).toBe('12.5天');
    expect(formatIndicatorValue(1, 'boolean', 'zh-CN')).toBe('是');
    expect(formatIndicatorValue(0, 'boolean', 'en')).toBe('no');
  });
});

describe('compact forms for secondary text', () => {
  it('English drops the unit word; Chinese keeps its short form', () => {
    expect(formatCompact(2_200_000, 'people', 'en')).toBe('2.2M');
    expect(formatCompact(1_097_000_000, 'yuan', 'en')).toBe('¥1.1B');
    expect(formatCompact(2_200_000, 'people', 'zh-CN')).toBe('220万人');
    expect(formatCompact(72, 'percent', 'en')).toBe('72.00%');
  });
});

describe('sentences use the same rules as cells', () => {
  it('a missing value reads 无 / none in a sentence, a dash in a cell', () => {
    expect(formatSentenceValue(null, 'percent', 'zh-CN')).toBe('无');
    expect(formatSentenceValue(null, 'count', 'en')).toBe('none');
    expect(formatIndicatorValue(null, 'count', 'en')).toBe('—');
  });
  it('money in a sentence is 万元 as on the tiles: 12.3万元, ¥123K', () => {
    expect(formatSentenceValue(123_456, 'yuan', 'zh-CN')).toBe('12.3万元');
    expect(formatSentenceValue(123_456, 'yuan', 'en')).toBe('¥123K');
  });
  it('targets: ≥ 72.00%, ≤ 15天, a band', () => {
    expect(formatTarget({ target: 72 }, 'higher_better', 'percent', 'zh-CN')).toBe('≥ 72.00%');
    expect(formatTarget({ target: 15 }, 'lower_better', 'days', 'zh-CN')).toBe('≤ 15天');
    expect(formatTarget({ target: null, target_low: 90, target_high: 100 }, 'target_band', 'percent', 'en')).toBe('90.00%–100.00%');
  });
});

describe('export columns: the PDF text and the XLSX number format agree', () => {
  it('integer, decimals, percent and yuan', () => {
    expect(formatFixed(152119, 'integer')).toBe('152,119');
    expect(excelNumberFormat('integer')).toBe('#,##0');
    expect(formatFixed(12.34, 'decimal1')).toBe('12.3');
    expect(excelNumberFormat('decimal1')).toBe('#,##0.0');
    expect(formatFixed(72.2, 'percent')).toBe('72.20%');
    expect(excelNumberFormat('percent')).toBe('#,##0.00"%"');
    expect(formatFixed(1234.5, 'yuan')).toBe('1,234.50');
    expect(excelNumberFormat('yuan')).toBe('#,##0.00');
  });
});

describe('axis ticks never repeat a label', () => {
  const labels = (lo: number, hi: number, count = 4) => {
    const s = niceScale(lo, hi, count);
    const out: string[] = [];
    for (let v = s.min; v <= s.max + s.interval / 2; v += s.interval) out.push(formatPercent(v, s.decimals));
    return { scale: s, out };
  };
  it('the analyst monthly mediation rates 73.2..75.4% get whole-number ticks one point apart', () => {
    const { scale, out } = labels(73.2, 75.4);
    expect(scale).toMatchObject({ interval: 1, decimals: 0 });
    expect(out).toEqual(['73%', '74%', '75%', '76%']);
  });
  it('a narrow range 73.1..73.9% steps by 0.2 with one decimal', () => {
    const { scale, out } = labels(73.1, 73.9);
    expect(scale).toMatchObject({ interval: 0.2, decimals: 1 });
    expect(new Set(out).size).toBe(out.length);
  });
  it('labels are distinct for many ranges, wide and narrow', () => {
    for (const [lo, hi] of [[0, 100], [72.6, 75.4], [99.91, 99.97], [1, 1], [0, 152119], [-3.2, 4.5]]) {
      const { out } = labels(lo, hi);
      expect(new Set(out).size, `${lo}..${hi}: ${out.join(' ')}`).toBe(out.length);
    }
  });
  it('the decimals follow the step: 5 → 0, 0.5 → 1, 0.25 → 2', () => {
    expect(decimalsForStep(5)).toBe(0);
    expect(decimalsForStep(0.5)).toBe(1);
    expect(decimalsForStep(0.25)).toBe(2);
  });
});

describe('months on axes', () => {
  it('a complete month is 12月 / Dec', () => {
    expect(formatMonth(12, 'zh-CN')).toBe('12月');
    expect(formatMonth(12, 'en')).toBe('Dec');
  });
  it('the current month says how far it goes: 12月(截至6日) / Dec (to 6th)', () => {
    expect(formatMonth(12, 'zh-CN', 6)).toBe('12月(截至6日)');
    expect(formatMonth(12, 'en', 6)).toBe('Dec (to 6th)');
    expect(formatMonth(3, 'en', 1)).toBe('Mar (to 1st)');
    expect(formatMonth(3, 'en', 12)).toBe('Mar (to 12th)');
  });
});
