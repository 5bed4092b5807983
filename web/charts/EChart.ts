// The one chart wrapper. It owns an ECharts instance for its element: initialises it at the element's
// size and the screen's devicePixelRatio (crisp on a 4K wall, no CSS scaling), follows the element's
// size with a ResizeObserver, re-creates the canvas when the pixel ratio changes (window moved to
// another screen, zoom), and applies each new option whole. It marks itself data-drawn="true" once
// an option with data has been rendered: the tests and the benchmark wait for that. A chart on a page
// not shown yet (`offscreen`: a wall panel's other rotor page) is drawn once the browser is idle after
// the shown ones, or at once when its page turns up, so it does not hold up a cold load's first paint.
// A chart given `firstPaint`, the same chart drawn on the server as SVG (the wall's county map, trend
// and growth charts, server/services/wall-*-svg.ts), shows that picture at once and is marked drawn;
// its own first draw then waits for an idle moment, like an offscreen one, and replaces the picture.
// ECharts itself is loaded when a chart first draws itself (load.ts), so a page whose charts are all
// painted from the server's drawings runs no chart code before its first paint.
import { defineComponent, h, onBeforeUnmount, onMounted, ref, shallowRef, watch, type PropType } from 'vue';
import { echartsArrived, loadECharts, type ECharts } from './load.ts';
import type { ChartOption } from './option-types.ts';

type Instance = ReturnType<ECharts['init']>;

/** ECharts once loaded (every chart's instance comes from the one module), by a chart or by whoever imported it. */
let lib: ECharts | null = null;
void echartsArrived.then((e) => (lib = e));

const sizeOf = (node: HTMLElement) => `${node.clientWidth}x${node.clientHeight}`;

/** How long an offscreen chart waits for an idle moment at most (a wall turns its pages every 20 s). */
const IDLE_WAIT_MS = 1000;

/** How long a chart waits for its picture from the server at most before drawing itself. */
const FIRST_PAINT_WAIT_MS = 3000;

/** Run `fn` when the browser is idle; returns a cancel. */
function whenIdle(fn: () => void): () => void {
  if (typeof requestIdleCallback === 'function') {
    const id = requestIdleCallback(fn, { timeout: IDLE_WAIT_MS });
    return () => cancelIdleCallback(id);
  }
  const id = setTimeout(fn, 0);
  return () => clearTimeout(id);
}

/**
 * Charts whose picture from the server is on its way (awaitFirstPaint). Until none is, no chart that
 * can wait (offscreen, or behind a picture) starts: loading ECharts and a first draw hold the main
 * thread for a few hundred milliseconds on a loaded wall PC, and a picture that arrives meanwhile would
 * wait for them before it is on screen.
 */
let awaitingPictures = 0;
const afterAwaited = new Set<() => void>();

/** Count a chart as awaiting its picture; the returned release (idempotent) stops counting it. */
function holdForPicture(): () => void {
  awaitingPictures++;
  let held = true;
  return () => {
    if (!held) return;
    held = false;
    if (--awaitingPictures > 0) return;
    const waiting = [...afterAwaited];
    afterAwaited.clear();
    waiting.forEach((go) => go());
  };
}

/**
 * Run `fn` when the browser is idle once no chart awaits its picture; with `frameFirst` (a chart behind
 * its picture), or after such a wait, only once a frame has shown what came. Returns a cancel.
 */
function whenPicturesShown(fn: () => void, frameFirst: boolean): () => void {
  let cancel: (() => void) | null = null;
  // A chart mounted before the awaiting ones (a panel to their left) checks again when idle.
  const run = () => (awaitingPictures > 0 ? void afterAwaited.add(afterFrame) : fn());
  const idle = () => (cancel = whenIdle(run));
  const afterFrame = () => {
    const id = requestAnimationFrame(idle);
    cancel = () => cancelAnimationFrame(id);
  };
  if (awaitingPictures === 0) {
    if (frameFirst) afterFrame();
    else idle();
    return () => cancel?.();
  }
  afterAwaited.add(afterFrame);
  return () => {
    afterAwaited.delete(afterFrame);
    cancel?.();
  };
}

export interface EChartExpose {
  /** A PNG of the chart at twice the screen's pixel ratio, as a data URL. */
  toPng(background: string): string | null;
}

export default defineComponent({
  name: 'EChart',
  props: {
    option: { type: Object as PropType<ChartOption | null>, default: null },
    /** what the chart shows, for screen readers (the table view is the full alternative) */
    label: { type: String, default: '' },
    /** on a page not shown yet: drawn when the browser is idle, or when this turns false */
    offscreen: { type: Boolean, default: false },
    /** the chart with its current data drawn on the server (an SVG document), shown until it draws itself */
    firstPaint: { type: String as PropType<string | null>, default: null },
    /**
     * that picture is on its way: the chart neither draws nor loads ECharts until it has come (then it
     * draws over it when idle) or is known not to come (then at once), so the two never race; at most
     * FIRST_PAINT_WAIT_MS
     */
    awaitFirstPaint: { type: Boolean, default: false },
  },
  emits: ['chartClick'],
  setup(props, { emit, expose }) {
    const el = ref<HTMLDivElement | null>(null);
    const chart = shallowRef<Instance | null>(null);
    const drawn = ref(false);
    let observer: ResizeObserver | null = null;
    let ratioQuery: MediaQueryList | null = null;
    let frame = 0;
    /** the element's size the canvas was last laid out at */
    let drawnAt = '';

    const ratio = () => (typeof window !== 'undefined' && window.devicePixelRatio) || 1;

    /** whether the instance has drawn an option yet */
    let shown = false;

    /** the server's picture while it is shown (a child of the chart's element, above ECharts' own) */
    let painted: HTMLElement | null = null;
    let cancelDraw: (() => void) | null = null;
    /** the browser has been idle since the picture went up: the chart may draw over it */
    let idleSincePaint = false;

    function showFirstPaint() {
      const node = el.value;
      if (!node || shown || painted || !props.firstPaint) return;
      painted = document.createElement('div');
      painted.className = 'echart-first-paint';
      painted.innerHTML = props.firstPaint;
      node.append(painted);
      drawn.value = true;
    }

    function dropFirstPaint() {
      painted?.remove();
      painted = null;
    }

    function apply() {
      const c = chart.value;
      if (!c || !props.option) return;
      // Behind the server's picture the first draw waits for an idle moment: the cold load's other
      // charts go first.
      if (painted && !shown && !idleSincePaint) {
        cancelDraw ??= whenIdle(() => {
          cancelDraw = null;
          idleSincePaint = true;
          apply();
        });
        return;
      }
      draw();
    }

    function draw() {
      const c = chart.value;
      if (!c || !props.option) return;
      // The first option is drawn as it is, not grown from nothing over the next 600 ms: a chart
      // marked drawn shows its data, and a cold load's frames go to the other panels. Changes animate.
      const first = !shown;
      shown = true;
      c.setOption(first ? { ...props.option, animation: false } : props.option, { notMerge: true, lazyUpdate: false });
      dropFirstPaint();
    }

    function create() {
      const node = el.value;
      if (!node || !lib) return;
      const c = lib.init(node, null, { renderer: 'canvas', devicePixelRatio: ratio() });
      drawnAt = sizeOf(node);
      // ECharts empties its element when it starts: the picture stays up until the chart has drawn.
      if (painted) node.append(painted);
      c.on('click', (params: unknown) => emit('chartClick', params));
      c.on('rendered', () => {
        if (props.option && !drawn.value) drawn.value = true;
      });
      chart.value = c;
      apply();
      watchRatio();
    }

    function dispose() {
      chart.value?.dispose();
      chart.value = null;
      shown = false;
    }

    function onRatioChange() {
      // The canvas backing store is sized at init: a new ratio needs a new canvas.
      dispose();
      create();
    }

    function watchRatio() {
      ratioQuery?.removeEventListener('change', onRatioChange);
      if (typeof window === 'undefined' || !window.matchMedia) return;
      ratioQuery = window.matchMedia(`(resolution: ${ratio()}dppx)`);
      ratioQuery.addEventListener('change', onRatioChange);
    }

    let cancelIdle: (() => void) | null = null;
    /** ECharts is being loaded for this chart's first draw */
    let loading = false;
    let unmounted = false;

    function start() {
      cancelIdle?.();
      cancelIdle = null;
      if (chart.value || loading || !el.value) return;
      if (!lib) {
        loading = true;
        void loadECharts().then((e) => {
          lib = e;
          loading = false;
          if (!unmounted) start();
        });
        return;
      }
      create();
      if (typeof ResizeObserver !== 'undefined' && el.value) {
        observer = new ResizeObserver(() => {
          cancelAnimationFrame(frame);
          frame = requestAnimationFrame(() => {
            // A ResizeObserver reports every element once when it starts observing: at the size the
            // chart was just drawn at, a resize would draw it all again (the county map twice).
            const node = el.value;
            if (!chart.value || !node || node.clientWidth === 0 || node.clientHeight === 0 || sizeOf(node) === drawnAt) return;
            drawnAt = sizeOf(node);
            chart.value.resize();
          });
        });
        observer.observe(el.value);
      }
    }

    let cancelHold: (() => void) | null = null;
    let release: (() => void) | null = null;

    /**
     * Draw now; or, offscreen or behind the server's picture, when the browser is idle and no chart
     * awaits its picture any more; not while this chart's own picture is awaited.
     */
    function schedule() {
      if (chart.value || loading || (props.awaitFirstPaint && !heldTooLong)) return;
      cancelIdle?.();
      if (props.offscreen || painted)
        cancelIdle = whenPicturesShown(() => {
          idleSincePaint = painted !== null;
          start();
        }, painted !== null);
      else start();
    }

    /** a picture awaited for longer than FIRST_PAINT_WAIT_MS: the chart draws as if none were coming */
    let heldTooLong = false;

    function stopAwaiting() {
      cancelHold?.();
      cancelHold = null;
      release?.();
      release = null;
    }

    onMounted(() => {
      showFirstPaint();
      if (props.awaitFirstPaint) {
        release = holdForPicture();
        const id = setTimeout(() => {
          heldTooLong = true;
          stopAwaiting();
          schedule();
        }, FIRST_PAINT_WAIT_MS);
        cancelHold = () => clearTimeout(id);
      }
      schedule();
    });
    watch(
      () => props.awaitFirstPaint,
      (awaited) => {
        if (awaited) return;
        stopAwaiting();
        // The picture may have come in the same update: up first, so the chart waits behind it.
        showFirstPaint();
        schedule();
      },
    );
    watch(
      () => props.firstPaint,
      (svg) => {
        if (svg) return showFirstPaint();
        // Withdrawn before the chart drew (its data changed): the chart draws now.
        if (!painted) return;
        dropFirstPaint();
        drawn.value = shown;
        cancelDraw?.();
        cancelDraw = null;
        if (chart.value) apply();
        else schedule();
      },
    );
    watch(
      () => props.offscreen,
      (offscreen) => {
        if (!offscreen && !(props.awaitFirstPaint && !heldTooLong)) start();
      },
    );

    onBeforeUnmount(() => {
      unmounted = true;
      stopAwaiting();
      cancelIdle?.();
      cancelDraw?.();
      cancelAnimationFrame(frame);
      observer?.disconnect();
      ratioQuery?.removeEventListener('change', onRatioChange);
      dispose();
    });

    watch(() => props.option, apply);

    expose({
      toPng(background: string) {
        return chart.value ? chart.value.getDataURL({ type: 'png', pixelRatio: Math.max(2, ratio()), backgroundColor: background }) : null;
      },
    } satisfies EChartExpose);

    return () =>
      h('div', {
        ref: el,
        class: 'echart',
        role: 'img',
        'aria-label': props.label || undefined,
        'data-drawn': drawn.value ? 'true' : 'false',
      });
  },
});
