// Numbers as officials read them: 万 and 亿 with the precision of published reports.
import { describe, expect, it } from 'vitest';
import {
  formatCompact,
  formatGrowth,
  formatIndicatorValue,
  formatInteger,
  formatPercent,
  formatPointChange,
  formatQuantity,
  formatRankChange,
  quantityParts,
  zhMagnitude,
} from '../../web/format/number.ts';

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
  it('11,100,000 yuan read as 1110万元', () => {
    expect(formatQuantity(11_100_000, 'yuan', 'zh-CN')).toBe('1110万元');
  });
  it('below 1万 the plain integer: 4800件', () => {
    expect(formatQuantity(4800, 'cases', 'zh-CN')).toBe('4800件');
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
  it('integers: no separator in Chinese reports, a comma in English', () => {
    expect(formatInteger(34800, 'zh-CN')).toBe('34800');
    expect(formatInteger(34800, 'en')).toBe('34,800');
  });
});

describe('indicator values by catalog unit', () => {
  it('percent, yuan, days, boolean', () => {
    expect(formatIndicatorValue(68.1, 'percent', 'zh-CN')).toBe('68.1%');
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
