// A sortable table: the accessible alternative to every chart and the analyst's reading view.
// Headers are buttons; aria-sort tells screen readers the order. Missing values sort last both ways.
import { computed, defineComponent, h, ref, type PropType, type VNode } from 'vue';
import { DASH, formatTrimmed } from '../../core/format.ts';

export interface Column<Row> {
  key: string;
  label: string;
  align?: 'left' | 'right' | 'center';
  /** the cell text (default: row[key], a number through core/format.ts) */
  format?: (row: Row) => string;
  /** a cell with more than text (an attainment bar); `format` still gives its sort/text value */
  render?: (row: Row) => VNode | string;
  /** the value to sort by (default: row[key]) */
  sortValue?: (row: Row) => number | string | null | undefined;
  sortable?: boolean;
  /** in a stacked table on a phone, the cell heads its row's block (no label before it) */
  heading?: boolean;
}

export type SortDir = 'asc' | 'desc';

export function sortRows<Row>(rows: readonly Row[], col: Column<Row> | undefined, dir: SortDir): Row[] {
  if (!col) return [...rows];
  const value = col.sortValue ?? ((r: Row) => (r as Record<string, unknown>)[col.key] as number | string | null | undefined);
  const sign = dir === 'asc' ? 1 : -1;
  return [...rows]
    .map((row, i) => ({ row, i, v: value(row) }))
    .sort((a, b) => {
      const am = a.v === null || a.v === undefined || (typeof a.v === 'number' && Number.isNaN(a.v));
      const bm = b.v === null || b.v === undefined || (typeof b.v === 'number' && Number.isNaN(b.v));
      if (am || bm) return am && bm ? a.i - b.i : am ? 1 : -1;
      const c = typeof a.v === 'number' && typeof b.v === 'number' ? a.v - b.v : String(a.v).localeCompare(String(b.v), 'zh-CN');
      return c === 0 ? a.i - b.i : sign * c;
    })
    .map((x) => x.row);
}

export default defineComponent({
  name: 'DataTable',
  props: {
    columns: { type: Array as PropType<Column<any>[]>, required: true },
    rows: { type: Array as PropType<readonly any[]>, required: true },
    rowKey: { type: Function as PropType<(row: any) => string>, required: true },
    caption: { type: String, default: '' },
    sortKey: { type: String, default: '' },
    sortDir: { type: String as PropType<SortDir>, default: 'desc' },
    /** rows the user can click (drill-down) */
    clickable: { type: Boolean, default: false },
    dense: { type: Boolean, default: false },
    /** on a phone, each row is a block of its cells, each under its column's name, not a row to scroll sideways */
    stacked: { type: Boolean, default: false },
  },
  emits: ['rowClick', 'sort'],
  setup(props, { emit }) {
    const key = ref(props.sortKey);
    const dir = ref<SortDir>(props.sortDir);
    const sorted = computed(() => sortRows(props.rows, props.columns.find((c) => c.key === key.value), dir.value));

    function sortBy(col: Column<unknown>) {
      if (col.sortable === false) return;
      if (key.value === col.key) dir.value = dir.value === 'asc' ? 'desc' : 'asc';
      else {
        key.value = col.key;
        dir.value = typeof props.rows[0] === 'object' && typeof (col.sortValue?.(props.rows[0]) ?? (props.rows[0] as Record<string, unknown>)[col.key]) === 'string' ? 'asc' : 'desc';
      }
      emit('sort', { key: key.value, dir: dir.value });
    }

    const cell = (col: Column<any>, row: any) => {
      if (col.render) return col.render(row);
      if (col.format) return col.format(row);
      const v = row[col.key];
      if (typeof v === 'number') return formatTrimmed(v); // numbers without their own format still get separators
      return v === null || v === undefined ? DASH : String(v);
    };

    return () =>
      h('table', { class: ['data-table', { dense: props.dense, clickable: props.clickable, stacked: props.stacked }] }, [
        props.caption ? h('caption', props.caption) : null,
        h('thead', [
          h(
            'tr',
            props.columns.map((col) => {
              const active = key.value === col.key;
              return h(
                'th',
                {
                  scope: 'col',
                  class: `align-${col.align ?? 'left'}`,
                  'aria-sort': active ? (dir.value === 'asc' ? 'ascending' : 'descending') : 'none',
                },
                col.sortable === false
                  ? col.label
                  : h('button', { type: 'button', class: 'sort', 'data-sort': col.key, onClick: () => sortBy(col) }, [
                      col.label,
                      h('span', { class: 'sort-mark', 'aria-hidden': 'true' }, active ? (dir.value === 'asc' ? ' ▲' : ' ▼') : ''),
                    ]),
              );
            }),
          ),
        ]),
        h(
          'tbody',
          sorted.value.map((row) =>
            h(
              'tr',
              {
                key: props.rowKey(row),
                'data-key': props.rowKey(row),
                tabindex: props.clickable ? 0 : undefined,
                onClick: props.clickable ? () => emit('rowClick', row) : undefined,
                onKeydown: props.clickable ? (e: KeyboardEvent) => e.key === 'Enter' && emit('rowClick', row) : undefined,
              },
              props.columns.map((col) =>
                h('td', { class: [`align-${col.align ?? 'left'}`, { heading: col.heading }], 'data-label': props.stacked && !col.heading ? col.label : undefined }, [cell(col, row)]),
              ),
            ),
          ),
        ),
      ]);
  },
});
