// Warming a snapshot before it goes live: the queries the wall and the county pages run first, so
// their tables' columns are read from disk before the first request needs them (the cold cost moves
// from a request to the switch, which waits for it).
import { catalogIndicators } from './catalog.ts';
import type { SnapshotInfo } from './meta.ts';
import { newestMonth } from './months.ts';
import { overview } from './overview.ts';
import { alerts, dimensionsWithAverages, explanation, mapValues, pathUp, rankings, resolveScorePeriod, scoredIndicators } from './scores.ts';
import { findUnit, unitTree } from './units.ts';
import type { WarehouseDb } from './warehouse.ts';

export async function warmSnapshot(db: WarehouseDb, info: SnapshotInfo): Promise<void> {
  const month = newestMonth(info);
  const [province, county] = await Promise.all([findUnit(db, '450000'), findUnit(db, '450102')]);
  // (the units and their tree are kept for the snapshot's life: most requests look a unit up, a wall's reporting totals read the tree)
  const work: Promise<unknown>[] = [catalogIndicators(db), unitTree(db)];
  if (province) work.push(overview(db, province, month));
  const period = await resolveScorePeriod(db, undefined).catch(() => undefined); // no engine tables: nothing to warm
  if (period) {
    work.push(rankings(db, 'county47', period.period), rankings(db, 'reform88', period.period), mapValues(db, 'county47', period.period));
    work.push(alerts(db, { period }, 50));
    if (county) {
      work.push(scoredIndicators(db, county.code, period.period), explanation(db, county.code, period.period), pathUp(db, county.code, period.period));
      work.push(dimensionsWithAverages(db, county, 'county47', period.period));
    }
  }
  await Promise.all(work);
}
