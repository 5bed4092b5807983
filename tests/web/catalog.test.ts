// Reading targets from the catalog answer (GET /api/catalog), as the wall does for the mediation line.
import { describe, expect, it } from 'vitest';
import type { Catalog } from '../../web/api/types.ts';
import { metricTarget, scorePeriod, thresholdOf } from '../../web/views/catalog.ts';

const indicator = (over: Partial<Catalog['indicators'][number]>): Catalog['indicators'][number] => ({
  set: 'county47',
  code: 'C40',
  sort_order: 40,
  dimension: '作用发挥强',
  dimension_en: 'Delivery and impact',
  dimension_order: 5,
  name_zh: '劳动争议调解成功率',
  name_en: 'Labour-dispute mediation success rate',
  unit: 'percent',
  direction: 'higher_better',
  period: 'monthly',
  target_rule: '>= 72%',
  targets_by_year: [{ year: 2022, target_rule: '>= 70%' }],
  weight: 3,
  source: 'mediation',
  metric: 'mediation_success_rate',
  applies_to: 'all',
  drop_alert: 10,
  ...over,
});

describe('targets from the catalog', () => {
  it('a plain threshold is a number; yes/no, "prev" and bands are not', () => {
    expect(thresholdOf('>= 72%')).toBe(72);
    expect(thresholdOf('<= 15')).toBe(15);
    expect(thresholdOf('≥ 1.2')).toBe(1.2);
    expect(thresholdOf('= true')).toBeNull();
    expect(thresholdOf('>= prev +5%')).toBeNull();
    expect(thresholdOf('between 90% and 100%')).toBeNull();
  });
  it("the mediation target is 70% in 2022 (the year's override) and 72% from 2023", () => {
    const catalog: Catalog = { version: '2024.1', dimensions: [], indicators: [indicator({})] };
    expect(metricTarget(catalog, 'county47', 'mediation_success_rate', 2022)).toBe(70);
    expect(metricTarget(catalog, 'county47', 'mediation_success_rate', 2023)).toBe(72);
    expect(metricTarget(catalog, 'reform88', 'mediation_success_rate', 2023)).toBeNull();
    expect(metricTarget(null, 'county47', 'mediation_success_rate', 2023)).toBeNull();
  });
});

describe('scoring periods for a chosen month', () => {
  it('nothing chosen: the server picks the latest', () => {
    expect(scorePeriod(null, '2026-10-31')).toBeUndefined();
  });
  it('a month of the newest year is that year to date', () => {
    expect(scorePeriod('2026-05', '2026-10-31')).toBe('2026');
  });
  it('an earlier year: December is the year, a quarter-end month its quarter, other months the quarter ended by then', () => {
    expect(scorePeriod('2025-12', '2026-10-31')).toBe('2025');
    expect(scorePeriod('2025-06', '2026-10-31')).toBe('2025-Q2');
    expect(scorePeriod('2025-08', '2026-10-31')).toBe('2025-Q2');
    expect(scorePeriod('2025-02', '2026-10-31')).toBe('2025');
  });
});
