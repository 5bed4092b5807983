// A view's handle on one endpoint: loads it when the endpoint (a function of filters) changes and
// exposes the store's state for it. `null` means "nothing to load" (e.g. no county chosen yet).
import { computed, getCurrentScope, onScopeDispose, watch, type ComputedRef } from 'vue';
import type { Endpoint } from '../api/client.ts';
import { useDataStore, type ResourceState } from './data.ts';

export interface Resource<T> {
  state: ComputedRef<ResourceState<T> | null>;
  data: ComputedRef<T | null>;
  /** 'loading' | 'ready' | 'empty' (no endpoint) | 'error' | 'unavailable' | 'forbidden' */
  phase: ComputedRef<'loading' | 'ready' | 'none' | 'error' | 'unavailable' | 'forbidden'>;
  reload(): Promise<void>;
}

export function useResource<T>(source: () => Endpoint<T> | null): Resource<T> {
  const store = useDataStore();
  const ep = computed(source);
  let held: string | null = null;
  watch(
    () => ep.value?.path,
    (path) => {
      if (held) store.release(held);
      held = path ?? null;
      if (path) {
        store.retain(path);
        // The router may have asked already (a wall's cold load): no second request for the same answer.
        if (!store.takePrefetched(path)) void store.load({ path });
      }
    },
    { immediate: true },
  );
  if (getCurrentScope()) onScopeDispose(() => held && store.release(held));
  const state = computed(() => (ep.value ? (store.resources[ep.value.path] as ResourceState<T> | undefined) ?? null : null));
  const data = computed(() => state.value?.data ?? null);
  const phase = computed(() => {
    const s = state.value;
    if (!ep.value) return 'none' as const;
    if (!s || s.status === 'idle' || s.status === 'loading') return 'loading' as const;
    if (s.data !== null) return 'ready' as const;
    if (s.failure === 'unavailable') return 'unavailable' as const;
    if (s.failure === 'forbidden') return 'forbidden' as const;
    return 'error' as const;
  });
  return { state, data, phase, reload: () => (ep.value ? store.load(ep.value) : Promise.resolve()) };
}
