// The maps the build ships (web/build/map-assets.ts): the Guangxi GeoJSON thinned to within a
// tolerance, with borders that two areas share kept shared, and every area still there.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../core/paths.ts';
import { MAP_TOLERANCE_DEG } from '../../web/build/map-assets.ts';
import { simplifyGeo, type FeatureCollection } from '../../web/build/simplify-geo.ts';

type Position = [number, number];
const rings = (f: FeatureCollection['features'][number]): Position[][] =>
  (f.geometry.type === 'Polygon' ? f.geometry.coordinates : f.geometry.coordinates.flat()) as Position[][];
const key = (p: Position) => `${p[0]},${p[1]}`;
/** A coordinate at `decimals` places, as the simplification rounds it. */
const roundTo = (v: number, decimals: number) => Math.round(v * 10 ** decimals) / 10 ** decimals;

function distanceToSegment(p: Position, a: Position, b: Position): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
  return Math.hypot(a[0] + t * dx - p[0], a[1] + t * dy - p[1]);
}

const load = (name: string) => JSON.parse(readFileSync(path.join(repoRoot, 'fixtures', 'reference', name), 'utf8')) as FeatureCollection;

describe('map simplification', () => {
  const source = load('guangxi-counties.geo.json');
  const DECIMALS = 5;
  const simple = simplifyGeo(source, MAP_TOLERANCE_DEG, DECIMALS, ['adcode', 'name']);
  const count = (g: FeatureCollection) => g.features.reduce((n, f) => n + rings(f).reduce((m, r) => m + r.length, 0), 0);

  it('keeps every county, its code and name, and nothing else of its properties', () => {
    expect(simple.features.map((f) => f.properties)).toEqual(source.features.map((f) => ({ adcode: f.properties.adcode, name: f.properties.name })));
    expect(simple.features.map((f) => rings(f).length)).toEqual(source.features.map((f) => rings(f).length));
  });

  it('draws the county map with far fewer points', () => {
    expect(count(simple)).toBeLessThan(count(source) * 0.6);
  });

  it('keeps every ring closed, of at least four points, made of source points', () => {
    const sourcePoints = new Set(source.features.flatMap((f) => rings(f).flat().map((p) => key([roundTo(p[0], DECIMALS), roundTo(p[1], DECIMALS)]))));
    for (const f of simple.features) {
      for (const r of rings(f)) {
        expect(r.length).toBeGreaterThanOrEqual(4);
        expect(r[0]).toEqual(r.at(-1));
        for (const p of r) expect(sourcePoints.has(key(p))).toBe(true);
      }
    }
  });

  it('moves no border more than the tolerance (plus the rounding)', () => {
    const bound = MAP_TOLERANCE_DEG + 10 ** -DECIMALS;
    let worst = 0;
    source.features.forEach((f, i) => {
      rings(f).forEach((r, j) => {
        const s = rings(simple.features[i])[j];
        for (const p of r) {
          let d = Infinity;
          for (let k = 0; k + 1 < s.length && d > 0; k++) d = Math.min(d, distanceToSegment(p, s[k], s[k + 1]));
          worst = Math.max(worst, d);
        }
      });
    });
    expect(worst).toBeLessThanOrEqual(bound);
    expect(worst).toBeGreaterThan(0); // it did thin the borders
  });

  it('keeps a border two counties share in the source shared: a point kept on one side is kept on the other', () => {
    const owners = new Map<string, Set<number>>();
    source.features.forEach((f, i) => rings(f).forEach((r) => r.forEach((p) => owners.set(key(p), (owners.get(key(p)) ?? new Set()).add(i)))));
    const kept = simple.features.map((f) => new Set(rings(f).flat().map(key)));
    const round = (p: Position) => key([roundTo(p[0], DECIMALS), roundTo(p[1], DECIMALS)]);
    let shared = 0;
    for (const [k, who] of owners) {
      if (who.size < 2) continue;
      const p = k.split(',').map(Number) as Position;
      const on = [...who].filter((i) => kept[i].has(round(p)));
      if (on.length) {
        shared++;
        expect(on.length).toBe(who.size);
      }
    }
    expect(shared).toBeGreaterThan(1000);
  });

  it('simplifies a border shared by two areas the same way from both sides', () => {
    // Two squares sharing a slightly wiggly edge from (1,0) to (1,4), walked in opposite directions.
    const edge: Position[] = [[1, 0], [1.01, 1], [0.99, 2], [1.01, 3], [1, 4]];
    const left: Position[] = [[0, 0], ...edge, [0, 4], [0, 0]];
    const right: Position[] = [[2, 4], ...[...edge].reverse(), [2, 0], [2, 4]];
    const geo: FeatureCollection = {
      type: 'FeatureCollection',
      features: [left, right].map((r, i) => ({ type: 'Feature', properties: { adcode: i, name: `a${i}`, extra: 1 }, geometry: { type: 'Polygon', coordinates: [r] } })),
    };
    const out = simplifyGeo(geo, 0.05, 6, ['adcode']);
    // Each ring now starts where the shared border does; the wiggle (0.01 < 0.05) is gone on both sides.
    expect(rings(out.features[0])[0]).toEqual([[1, 0], [1, 4], [0, 4], [0, 0], [1, 0]]);
    expect(rings(out.features[1])[0]).toEqual([[1, 4], [1, 0], [2, 0], [2, 4], [1, 4]]);
    expect(out.features[0].properties).toEqual({ adcode: 0 });
  });
});
