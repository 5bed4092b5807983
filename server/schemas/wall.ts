// GET /api/wall: everything the wall display draws from the snapshot, in one answer with one ETag.
// Each part is the answer of the endpoint named beside it, for the province and the wall's periods.
import { Type, type Static } from 'typebox';
import { Nullable } from './common.ts';
import { MembersResponse } from './insurance.ts';
import { SuccessRateResponse } from './mediation.ts';
import { MetaResponse } from './meta.ts';
import { OverviewResponse } from './overview.ts';
import { AlertsResponse, BriefingResponse, MapResponse, RankingsResponse } from './scores.ts';

export const WallQuery = Type.Object({
  unit: Type.Optional(
    Type.String({
      pattern: '^45\\d{4}$',
      description: "the wall page's unit: 450000 (default) or a city, whose tiles, mediation and member series, county ranking and alerts the page shows (a playlist's city page); the map, the city ranking and the briefing stay the province's",
    }),
  ),
  score: Type.Optional(
    Type.Enum(['ytd', 'final'], { description: 'ytd (default): the rankings of the year to date; final: the last complete year\'s final result (年度终评)' }),
  ),
});
export type WallQuery = Static<typeof WallQuery>;

export const WallResponse = Type.Object({
  snapshot: MetaResponse.properties.snapshot,
  month: Type.String({ description: 'the wall\'s month (YYYY-MM): that of the newest data' }),
  overview: { ...OverviewResponse, description: 'GET /api/overview (the province, the wall\'s month)' },
  mediation: Type.Object({
    this_year: { ...SuccessRateResponse, description: 'GET /api/mediation/success-rate?unit=450000&from=<January>&to=<month>&by=month' },
    last_year: { ...SuccessRateResponse, description: 'the same for the whole previous year' },
  }),
  members: { ...MembersResponse, description: 'GET /api/insurance/members?unit=450000' },
  rankings: Type.Object({
    counties: Nullable(RankingsResponse, { description: 'GET /api/rankings?set=county47 (period=final with score=final); null: no scores for the period' }),
    cities: Nullable(RankingsResponse, { description: 'GET /api/rankings?set=reform88 (likewise)' }),
  }),
  map: Type.Object({
    counties: Nullable(MapResponse, { description: 'GET /api/map?set=county47 (the year to date); null: no scores yet' }),
    cities: Nullable(MapResponse, { description: 'GET /api/map?set=reform88' }),
  }),
  alerts: Nullable(AlertsResponse, { description: 'GET /api/alerts?limit=5 (the year to date); null: no scores yet' }),
  briefing: Nullable(BriefingResponse, { description: 'GET /api/briefing (the year to date); null: no scores yet' }),
});

/** Static of the schema, with the alerts (a schema reference) typed. */
export type WallResponse = Omit<Static<typeof WallResponse>, 'alerts'> & { alerts: AlertsResponse | null };

export const WallMapSvgResponse = Type.Object({
  snapshot: Type.String({ description: 'the snapshot drawn: a screen shows the picture only beside the wall bundle of the same snapshot' }),
  svg: Nullable(Type.String({ description: "the county map of the year to date as an SVG document (square, with a viewBox), drawn by ECharts on the server with the wall's own option; null while the snapshot has no scores" })),
});
export type WallMapSvgResponse = Static<typeof WallMapSvgResponse>;

/**
 * A box's side: 10 to 2160 CSS pixels. Every box is a new drawing and a new cache entry, so no larger
 * than a 4K screen's boxes: no chart of its layouts is longer than its shorter side (the largest are
 * 972x659 in portrait native and 488x1594 in portrait fill; 868x501 on the 3840x2160 wall).
 */
const SIDE = '(?:[1-9]\\d{1,2}|1\\d{3}|20\\d\\d|21[0-5]\\d|2160)';

/** A chart's box as the screen has laid it out: WIDTHxHEIGHT in whole CSS pixels. */
const ChartBox = (panel: string) =>
  Type.Optional(Type.String({ pattern: `^${SIDE}x${SIDE}$`, description: `the ${panel} chart's box on the screen, WIDTHxHEIGHT in CSS pixels (10 to 2160 each, a 4K screen's largest); left out: that chart is not drawn` }));

export const WallChartsQuery = Type.Object({
  unit: WallQuery.properties.unit,
  lang: Type.Optional(Type.Enum(['zh-CN', 'en'], { description: 'the language of the charts\' text: zh-CN (default) or en' })),
  scale_pct: Type.Optional(Type.Integer({ minimum: 25, maximum: 800, finite: true, description: "the screen's root font size / 16, in percent (100 at 1920x1080, 200 at 3840x2160): the charts' text and lines are drawn at the screen's sizes; default 100. Whole percent, so that screens of one size ask the same URL and share its cached drawing" })),
  mediation_trend: ChartBox('mediation trend'),
  member_growth: ChartBox('member growth'),
});
export type WallChartsQuery = Static<typeof WallChartsQuery>;

const ChartSvg = (what: string) => Nullable(Type.String({ description: `${what} as an SVG document with a viewBox, drawn by ECharts on the server with the wall's own option; null when not asked for (member growth: or without members)` }));

export const WallChartsSvgResponse = Type.Object({
  snapshot: Type.String({ description: 'the snapshot drawn: a screen shows the pictures only beside the wall bundle of the same snapshot' }),
  unit: Type.String({ description: "the wall page's unit the charts are of" }),
  lang: Type.Enum(['zh-CN', 'en'], { description: 'the language of their text' }),
  charts: Type.Object({
    mediation_trend: ChartSvg('the mediation success rate by month, this year against last year, with the target'),
    member_growth: ChartSvg('members per year with the year\'s growth'),
  }),
});
export type WallChartsSvgResponse = Static<typeof WallChartsSvgResponse>;
