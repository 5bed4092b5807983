// The county page's reading of a scorecard.
import { describe, expect, it } from 'vitest';
import type { Scorecard, ScorecardIndicator } from '../../web/api/types.ts';
import { attainmentWidth, byPointsLost, explanations, reportsSummary } from '../../web/views/county/model.ts';

const ind = (code: string, lost: number | null, zh = '', name = ''): ScorecardIndicator =>
  ({ code, points_lost: lost, name_zh: name, name_en: name ? `Name ${code}` : '', explanation_zh: zh, explanation_en: zh ? `en ${code}` : '' }) as ScorecardIndicator;

describe('scorecard order and words', () => {
  it('worst first by points lost; indicators not scored (null) go last; ties by code', () => {
    const out = byPointsLost([ind('C02', 0.5), ind('C09', null), ind('C01', 0.9), ind('C03', 0.5)]);
    expect(out.map((i) => i.code)).toEqual(['C01', 'C02', 'C03', 'C09']);
  });
  it('explains only the indicators that lost points, most costly first, in the chosen language', () => {
    const sc = { indicators: [ind('C40', 0.9, '调解成功率 68.1%，低于目标 72%，失分 0.9'), ind('C01', 0, ''), ind('C02', 0.4, '乙')] } as Scorecard;
    expect(explanations(sc, 'zh-CN')).toEqual(['调解成功率 68.1%，低于目标 72%，失分 0.9', '乙']);
    expect(explanations(sc, 'en')).toEqual(['en C40', 'en C02']);
  });
  it("a sentence that does not name its indicator is led by the name", () => {
    const sc = { indicators: [ind('C40', 8.7, '缺失：本期无业务记录，失8.70分。', '劳动争议调解成功率'), ind('C41', 1, '劳动争议调解成功件数 6，低于目标', '劳动争议调解成功件数')] } as Scorecard;
    expect(explanations(sc, 'zh-CN')).toEqual(['劳动争议调解成功率：缺失：本期无业务记录，失8.70分。', '劳动争议调解成功件数 6，低于目标']);
    expect(explanations(sc, 'en')[0]).toBe('Name C40: en C40');
  });
  it('attainment bars are capped to 0..100', () => {
    expect([attainmentWidth(null), attainmentWidth(-3), attainmentWidth(64.5), attainmentWidth(130)]).toEqual([0, 0, 64.5, 100]);
  });
  it('reports are complete only with nothing missing and no notes', () => {
    const dq = {
      reports_expected: 30, reports_received: 29, reports_on_time: 7, reports_late: 2, reports_central: 20, reports_corrected: 3, reports_missing: 1, notes: [],
    } as unknown as Scorecard['data_quality'];
    expect(reportsSummary(dq)).toEqual({ received: 29, expected: 30, central: 20, late: 2, missing: 1, corrected: 3, complete: false });
    expect(reportsSummary({ ...dq, reports_missing: 0 }).complete).toBe(true);
  });
});
