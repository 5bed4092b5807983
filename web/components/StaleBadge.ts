// "Data as of …" on the wall: quiet while the API answers, amber with the last good time when it
// does not. Shown from the data store's `online` flag; goes away by itself on recovery.
import { defineComponent, h, type PropType } from 'vue';

export default defineComponent({
  name: 'StaleBadge',
  props: {
    stale: { type: Boolean, required: true },
    /** the text when live, e.g. "数据截至 2023-07-31" */
    liveText: { type: String, required: true },
    /** the text when stale, e.g. "数据未更新 · 截至 14:05:12" */
    staleText: { type: String, required: true },
    tone: { type: String as PropType<'dark' | 'light'>, default: 'dark' },
  },
  setup(props) {
    return () =>
      h(
        'div',
        {
          class: ['stale-badge', props.tone, { stale: props.stale }],
          'data-testid': 'stale-badge',
          'data-stale': props.stale ? 'true' : 'false',
          role: 'status',
          'aria-live': 'polite',
        },
        [h('span', { class: 'dot', 'aria-hidden': 'true' }), h('span', { class: 'text' }, props.stale ? props.staleText : props.liveText)],
      );
  },
});
