// Build-time simplification of the Guangxi GeoJSON (web/build/map-assets.ts): the county file has about 40,000
// points, far more than a map panel has pixels, and ECharts parses, projects and strokes every one on
// each draw. Borders shared by two areas are simplified once, as one line, so neighbours still meet
// exactly (no slivers, no gaps): the points where borders meet (junctions) stay, and each border
// between two junctions is thinned by Douglas-Peucker to within `tolerance` (in degrees).
type Position = [number, number];
type Ring = Position[];

interface Feature {
  type: 'Feature';
  properties: Record<string, unknown>;
  geometry: { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };
}
export interface FeatureCollection {
  type: 'FeatureCollection';
  features: Feature[];
}

const keyOf = (p: Position) => `${p[0]},${p[1]}`;

/** Squared distance from p to the segment a-b. */
function segmentDistance2(p: Position, a: Position, b: Position): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
  const x = a[0] + t * dx - p[0];
  const y = a[1] + t * dy - p[1];
  return x * x + y * y;
}

/** Douglas-Peucker on an open line: its two ends always stay. */
function douglasPeucker(line: Position[], tolerance2: number): Position[] {
  const keep = new Uint8Array(line.length);
  keep[0] = keep[line.length - 1] = 1;
  const stack: [number, number][] = [[0, line.length - 1]];
  while (stack.length) {
    const [from, to] = stack.pop()!;
    let worst = -1;
    let worstD = tolerance2;
    for (let i = from + 1; i < to; i++) {
      const d = segmentDistance2(line[i], line[from], line[to]);
      if (d > worstD) {
        worst = i;
        worstD = d;
      }
    }
    if (worst >= 0) {
      keep[worst] = 1;
      stack.push([from, worst], [worst, to]);
    }
  }
  return line.filter((_, i) => keep[i]);
}

const ringsOf = (f: Feature): Ring[] => (f.geometry.type === 'Polygon' ? f.geometry.coordinates : f.geometry.coordinates.flat());

/** Points where borders meet: a point whose neighbours differ between the rings it is on. */
function junctions(rings: Ring[]): Set<string> {
  const seen = new Map<string, string>();
  const result = new Set<string>();
  for (const ring of rings) {
    const n = ring.length - 1; // closed: the last point repeats the first
    for (let i = 0; i < n; i++) {
      const k = keyOf(ring[i]);
      const a = keyOf(ring[(i + n - 1) % n]);
      const b = keyOf(ring[(i + 1) % n]);
      const pair = a < b ? `${a}|${b}` : `${b}|${a}`;
      const before = seen.get(k);
      if (before === undefined) seen.set(k, pair);
      else if (before !== pair) result.add(k);
    }
  }
  return result;
}

/**
 * The collection with every ring thinned to within `tolerance` degrees, coordinates rounded to
 * `decimals`, and only the properties named in `keep`. A ring that would fall under four points (a
 * tiny island) keeps its own points.
 */
export function simplifyGeo(geo: FeatureCollection, tolerance: number, decimals: number, keep: readonly string[]): FeatureCollection {
  const all = geo.features.flatMap(ringsOf);
  const joints = junctions(all);
  const done = new Map<string, Position[]>();
  const tolerance2 = tolerance * tolerance;
  const scale = 10 ** decimals;
  const round = (p: Position): Position => [Math.round(p[0] * scale) / scale, Math.round(p[1] * scale) / scale];

  /** One border between two fixed points, simplified the same way from either side. */
  function arc(line: Position[]): Position[] {
    const keys = line.map(keyOf);
    const forward = keys.join(';');
    const backward = [...keys].reverse().join(';');
    const canonical = forward <= backward ? forward : backward;
    let simple = done.get(canonical);
    if (!simple) {
      simple = douglasPeucker(forward <= backward ? line : [...line].reverse(), tolerance2);
      done.set(canonical, simple);
    }
    return forward <= backward ? simple : [...simple].reverse();
  }

  function ring(r: Ring): Ring {
    const n = r.length - 1;
    if (n < 4) return r.map(round);
    let fixed = r.slice(0, n).flatMap((p, i) => (joints.has(keyOf(p)) ? [i] : []));
    if (fixed.length === 0) {
      // An island or a border with no neighbour: fix its first point and the point farthest from it.
      let far = 0;
      for (let i = 1; i < n; i++) if (segmentDistance2(r[i], r[0], r[0]) > segmentDistance2(r[far], r[0], r[0])) far = i;
      fixed = far === 0 ? [0] : [0, far];
    }
    const out: Position[] = [];
    for (let j = 0; j < fixed.length; j++) {
      const from = fixed[j];
      const to = j + 1 < fixed.length ? fixed[j + 1] : fixed[0] + n;
      const line: Position[] = [];
      for (let i = from; i <= to; i++) line.push(r[i % n]);
      out.push(...arc(line).slice(0, -1));
    }
    const rounded = [...out, out[0]].map(round).filter((p, i, a) => i === 0 || p[0] !== a[i - 1][0] || p[1] !== a[i - 1][1]);
    return rounded.length >= 4 ? rounded : r.map(round);
  }

  return {
    type: 'FeatureCollection',
    features: geo.features.map((f) => ({
      type: 'Feature',
      properties: Object.fromEntries(keep.filter((k) => k in f.properties).map((k) => [k, f.properties[k]])),
      geometry:
        f.geometry.type === 'Polygon'
          ? { type: 'Polygon', coordinates: f.geometry.coordinates.map(ring) }
          : { type: 'MultiPolygon', coordinates: f.geometry.coordinates.map((p) => p.map(ring)) },
    })),
  };
}
