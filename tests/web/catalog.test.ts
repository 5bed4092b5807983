// The scoring period an analyst's chosen month stands for.
import { describe, expect, it } from 'vitest';
import { scorePeriod } from '../../web/views/catalog.ts';

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
