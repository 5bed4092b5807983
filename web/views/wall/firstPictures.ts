// A wall's first pictures on a cold load: the county map and the trend and growth charts drawn on the
// server, which index.html's preload script asked for beside the bundle (web/build/wall-preload.ts;
// the charts at the boxes the wall's grid gives them on the screen). The router reads them with the
// bundle before the view renders (router/index.ts), so the wall's first render shows every panel
// drawn, with no second render, layout and round trip for the pictures. MapPanel and useServerCharts
// take them once; without them (another page first, no token, an error) they ask as before.
import { apiGet } from '../../api/client.ts';
import { api } from '../../api/endpoints.ts';
import { EARLY_CHARTS, takeEarly } from '../../api/early.ts';
import type { WallCharts, WallCountyMap } from '../../api/types.ts';

/** An answer on its way: `value` once it has come (null: none, or it failed). */
export interface Arriving<T> {
  value: T | null | undefined;
  promise: Promise<T | null>;
}

type Chart = keyof WallCharts['charts'];
const CHARTS: readonly Chart[] = ['mediation_trend', 'member_growth'];

/** The charts' pictures and the boxes (WIDTHxHEIGHT) they were drawn at. */
export interface FirstCharts {
  drawn: WallCharts;
  boxes: Partial<Record<Chart, string>>;
}

function arriving<T>(promise: Promise<T | null>): Arriving<T> {
  const a: Arriving<T> = { value: undefined, promise: promise.catch(() => null) };
  void a.promise.then((v) => (a.value = v));
  return a;
}

let map: Arriving<WallCountyMap> | null = null;
let charts: Arriving<FirstCharts> | null = null;

/**
 * Read the preload script's county map and charts (with the display token `bearer` they were asked
 * with); resolves once both have come or failed. Once per page: a later wall navigation asks anew.
 */
export function readFirstPictures(bearer: string): Promise<unknown> {
  if (map || charts) return Promise.resolve();
  map = arriving(apiGet(api.wallCountyMap()).then((r) => (r.notModified ? null : r.data)));
  const early = takeEarly(EARLY_CHARTS, bearer);
  charts = arriving(
    early
      ? early.then(async (res) => {
          if (!res.ok) return null;
          const q = new URL(res.url).searchParams;
          const boxes = Object.fromEntries(CHARTS.flatMap((c) => (q.get(c) ? [[c, q.get(c)!]] : [])));
          return { drawn: (await res.json()) as WallCharts, boxes };
        })
      : Promise.resolve(null),
  );
  return Promise.all([map.promise, charts.promise]);
}

/** The county map read for the first render, once (null: not read, the panel asks itself). */
export function takeFirstCountyMap(): Arriving<WallCountyMap> | null {
  const m = map;
  map = null;
  return m;
}

/** The charts read for the first render, once (null: not read, the panels' boxes are asked for). */
export function takeFirstCharts(): Arriving<FirstCharts> | null {
  const c = charts;
  charts = null;
  return c;
}

/** Whether a picture drawn at `drawnAt` fits the chart's box `box` (both WIDTHxHEIGHT): within 2 px each way, the picture scales to it unseen. */
export function fitsBox(drawnAt: string | undefined, box: string | null): boolean {
  if (!drawnAt || !box) return false;
  const [a, b] = [drawnAt, box].map((s) => s.split('x').map(Number));
  return Math.abs(a[0] - b[0]) <= 2 && Math.abs(a[1] - b[1]) <= 2;
}
