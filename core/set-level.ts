// Which units each indicator set scores: county47 ranks the 111 counties, reform88 the 14 cities (and
// also scores the province). Routes and queries ask here instead of repeating it.
import type { IndicatorSet } from './catalog-vocabulary.ts';

export type ScoredLevel = 'county' | 'city';

/** The level a set ranks. */
export const levelOfSet = { county47: 'county', reform88: 'city' } as const satisfies Record<IndicatorSet, ScoredLevel>;

/** The set a unit is scored in. */
export function setOfLevel(level: 'county' | 'city' | 'province'): IndicatorSet {
  return level === 'county' ? 'county47' : 'reform88';
}
