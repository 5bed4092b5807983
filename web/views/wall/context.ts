// What WallView shares with its panels: the data, the settings and the rotation tick.
import { inject, type InjectionKey, type Ref } from 'vue';
import type { WallConfig } from './model.ts';
import type { ServerCharts } from './useServerCharts.ts';
import type { WallData } from './useWallData.ts';

export interface WallContext {
  data: WallData;
  /** the trend and growth charts drawn on the server, their first paint */
  serverCharts: ServerCharts;
  config: Ref<WallConfig>;
  /** increases by one every rotation interval */
  tick: Ref<number>;
  now: Ref<Date>;
}

export const WALL: InjectionKey<WallContext> = Symbol('wall');

export function useWall(): WallContext {
  const ctx = inject(WALL);
  if (!ctx) throw new Error('wall panels must be inside WallView');
  return ctx;
}

export type PanelState = 'loading' | 'ready' | 'unavailable' | 'error' | 'forbidden' | 'none';
