// The context option builders get: theme and a size scale that follows the root font size (the wall
// sets it from the viewport, so 3840x2160 draws at twice the 1920x1080 sizes; desks stay at 1).
import { computed, onBeforeUnmount, onMounted, ref, type ComputedRef } from 'vue';
import { themes, type ChartContext } from './theme.ts';

export function rootScale(): number {
  if (typeof document === 'undefined') return 1;
  const size = parseFloat(getComputedStyle(document.documentElement).fontSize);
  return Number.isFinite(size) && size > 0 ? size / 16 : 1;
}

/** The scale the builders get (ChartContext.scale): the root scale to a hundredth. */
export const chartScale = (root: number): number => Math.round(root * 100) / 100;

export function useChartContext(themeName: 'dark' | 'light'): ComputedRef<ChartContext> {
  const scale = ref(rootScale());
  const update = () => {
    const s = rootScale();
    if (Math.abs(s - scale.value) > 0.01) scale.value = s;
  };
  // The root font size follows the viewport on the wall: a resize (or a move to a 4K screen) changes it.
  onMounted(() => {
    update();
    requestAnimationFrame(update);
    window.addEventListener('resize', update);
  });
  onBeforeUnmount(() => window.removeEventListener('resize', update));
  return computed(() => ({ theme: themes[themeName], scale: chartScale(scale.value) }));
}
