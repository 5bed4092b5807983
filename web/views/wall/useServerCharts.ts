// The wall's mediation trend and member growth charts drawn on the server (GET /api/wall/charts), a
// cold load's first paint of them: once the bundle has come and the panels show their charts, the page
// measures each chart's box and asks once for the pictures at those sizes, in its language and at its
// root scale (text and lines at the screen's sizes, 1080p or 4K). On a cold load the preload script
// has asked already, at the boxes it computed from the screen (firstPictures.ts): those are shown from
// the first render, and kept when they fit the boxes measured. A picture is shown (EChart
// firstPaint) only beside what it was drawn from: the bundle's snapshot, the page's unit and language.
// Until the answer has settled the charts neither draw nor load ECharts (EChart awaitFirstPaint), so
// the picture and ECharts do not race; ECharts draws over the picture when the browser is idle, and
// without one (an error, another snapshot, a page turned meanwhile) the charts draw themselves.
import { nextTick, ref, shallowRef, watch, type Ref } from 'vue';
import type { Locale } from '../../../core/format.ts';
import { apiGet } from '../../api/client.ts';
import { api } from '../../api/endpoints.ts';
import type { WallCharts } from '../../api/types.ts';
import { rootScale } from '../../charts/useChartContext.ts';
import { SERVER_DRAWN, type ServerDrawn } from './chartInputs.ts';
import { fitsBox, takeFirstCharts } from './firstPictures.ts';
import type { WallData } from './useWallData.ts';

export interface ServerCharts {
  /** the pictures have been asked for and have not come (or failed) yet */
  pending: Ref<boolean>;
  /** the panel's chart as drawn on the server, while it still shows what the panel shows; else null */
  svg(panel: ServerDrawn): string | null;
}

const key = (panel: ServerDrawn) => panel.replace('-', '_') as keyof WallCharts['charts'];

/** A chart's box as the request names it: whole CSS pixels, WIDTHxHEIGHT; null before layout. */
function boxOf(panel: ServerDrawn): string | null {
  const el = document.querySelector<HTMLElement>(`[data-panel="${panel}"] .echart`);
  return el && el.clientWidth >= 10 && el.clientHeight >= 10 ? `${el.clientWidth}x${el.clientHeight}` : null;
}

export function useServerCharts(data: WallData, unit: () => string, locale: Ref<Locale>): ServerCharts {
  // A cold load's pictures, asked for by the preload script at the boxes it computed (firstPictures.ts).
  const first = takeFirstCharts();
  const pending = ref(first?.value == null);
  const drawn = shallowRef<WallCharts | null>(first?.value?.drawn ?? null);
  let asked = false;

  async function ask() {
    asked = true;
    // The panels render their charts from the bundle: lay them out first.
    await nextTick();
    const boxes = Object.fromEntries(SERVER_DRAWN.map((p) => [key(p), boxOf(p)] as const).filter(([, b]) => b !== null));
    try {
      if (!Object.keys(boxes).length) return;
      const early = first ? await first.promise : null;
      // The preload script's pictures, when drawn at these boxes (give or take the rounding).
      if (early && Object.entries(boxes).every(([k, b]) => fitsBox(early.boxes[k as keyof typeof early.boxes], b))) {
        drawn.value = early.drawn;
        return;
      }
      // Drawn at other boxes (already up, if they came before the first render): withdrawn, and the
      // charts wait for the pictures at their own boxes.
      if (drawn.value) {
        pending.value = true;
        drawn.value = null;
      }
      const r = await apiGet(api.wallCharts({ unit: unit(), lang: locale.value, scale_pct: Math.round(rootScale() * 100), ...boxes }));
      if (!r.notModified) drawn.value = r.data;
    } catch {
      // No picture: the charts draw themselves.
    } finally {
      pending.value = false;
    }
  }

  watch(
    () => data.bundle.data.value !== null,
    (has) => {
      if (has && !asked) void ask();
    },
    { immediate: true },
  );

  return {
    pending,
    svg(panel) {
      const d = drawn.value;
      const ok = d && d.snapshot === data.meta.data.value?.snapshot.id && d.unit === unit() && d.lang === locale.value;
      return ok ? d.charts[key(panel)] : null;
    },
  };
}
