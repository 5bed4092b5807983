// How the wall meets the screen (?scale=fit|fill|native; model.ts ScaleMode). Every mode works by
// the root font size the whole layout is measured in (rem), never by CSS transforms, so text is
// rasterised at its final size and the charts (EChart follows its element's size) redraw at the
// screen's own pixels. fit and fill are pure CSS (wall.css); native sets a whole-pixel font size
// from the screen here and picks the layout for the screen's shape.
import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue';
import { layoutFor, nativeRemPx, type WallConfig, type WallLayout } from './model.ts';

const MODE_CLASSES = ['wall-fit', 'wall-fill', 'wall-native'];

export function useWallScale(config: Ref<WallConfig>): { layout: Ref<WallLayout> } {
  const root = document.documentElement;
  const layout = ref<WallLayout>('standard');

  function apply() {
    const { scale, nativeRem } = config.value;
    root.classList.remove(...MODE_CLASSES);
    root.classList.add(`wall-${scale}`);
    if (scale === 'native') {
      root.style.fontSize = `${nativeRemPx(window.innerWidth, window.innerHeight, nativeRem)}px`;
      layout.value = layoutFor(window.innerWidth, window.innerHeight);
    } else {
      root.style.removeProperty('font-size');
      layout.value = 'standard';
    }
  }

  // Before the panels mount: their charts read the root font size when created.
  apply();
  onMounted(() => window.addEventListener('resize', apply));
  onBeforeUnmount(() => {
    window.removeEventListener('resize', apply);
    root.classList.remove(...MODE_CLASSES);
    root.style.removeProperty('font-size');
  });
  return { layout };
}
