// What the API said, per URL: the last good body, its ETag, and how the last attempt went. Views read
// through `useResource`; the wall revalidates everything it shows on an interval with If-None-Match,
// so an unchanged snapshot costs a 304 and no re-render. When the API cannot be reached the last good
// data stays on screen and `online` turns false (the stale badge); the next success turns it back.
import { defineStore } from 'pinia';
import { computed, markRaw, reactive, ref } from 'vue';
import { ApiRequestError, apiGet, type Endpoint, type FailureKind } from '../api/client.ts';

export type ResourceStatus = 'idle' | 'loading' | 'ready' | 'error';

export interface ResourceState<T = unknown> {
  data: T | null;
  etag: string | null;
  status: ResourceStatus;
  /** why the last attempt failed (the data, if any, is from before) */
  failure: FailureKind | null;
  message: string | null;
  /** when the data was last confirmed current (200 or 304), ms since epoch */
  confirmedAt: number | null;
}

/** How long a prefetched answer counts as the view's own first load. */
const PREFETCH_FRESH_MS = 5_000;

const blank = (): ResourceState => ({ data: null, etag: null, status: 'idle', failure: null, message: null, confirmedAt: null });

export const useDataStore = defineStore('data', () => {
  const resources = reactive<Record<string, ResourceState>>({});
  const inFlight = new Map<string, Promise<void>>();
  /** how many views show each URL now: only those are revalidated */
  const watchers = new Map<string, number>();
  /** false while the API is unreachable (network error or 5xx) */
  const online = ref(true);
  const lastContactAt = ref<number | null>(null);
  const lastFailureAt = ref<number | null>(null);
  /** counts of answers, for the wall's diagnostics and the tests */
  const counters = reactive({ ok: 0, notModified: 0, failed: 0 });

  async function fetchOne(path: string): Promise<void> {
    if (!resources[path]) resources[path] = blank();
    // Through the reactive proxy, so views see every change.
    const s = resources[path];
    if (s.data === null) s.status = 'loading';
    try {
      const res = await apiGet({ path }, { etag: s.data === null ? null : s.etag });
      const now = Date.now();
      if (res.notModified) counters.notModified++;
      else {
        counters.ok++;
        // Bodies are read, never mutated: skip deep reactivity on large JSON.
        s.data = res.data === null || typeof res.data !== 'object' ? res.data : markRaw(res.data as object);
        s.etag = res.etag;
      }
      s.status = 'ready';
      s.failure = null;
      s.message = null;
      s.confirmedAt = now;
      online.value = true;
      lastContactAt.value = now;
    } catch (e) {
      counters.failed++;
      const err = e instanceof ApiRequestError ? e : new ApiRequestError('network', 0, String(e));
      // An endpoint the server does not have stays "not there" through an outage: the outage is the
      // stale badge's news, not this panel's.
      const outage = err.kind === 'network' || err.kind === 'server';
      if (!(outage && s.data === null && s.failure === 'unavailable')) s.failure = err.kind;
      s.message = err.message;
      // Keep the last good data: the view shows it (marked stale), not an error.
      s.status = s.data === null ? 'error' : 'ready';
      if (outage) {
        online.value = false;
        lastFailureAt.value = Date.now();
      } else {
        // The server answered: it is up, whatever it thought of this request.
        online.value = true;
        lastContactAt.value = Date.now();
      }
    }
  }

  /** Fetch (or revalidate) one resource; concurrent calls for the same URL share one request. */
  function load<T>(ep: Endpoint<T>): Promise<void> {
    const pending = inFlight.get(ep.path);
    if (pending) return pending;
    const p = fetchOne(ep.path).finally(() => inFlight.delete(ep.path));
    inFlight.set(ep.path, p);
    return p;
  }

  /** URLs asked for ahead of the view that shows them (the router, on a wall's cold load). */
  const prefetched = new Set<string>();

  /** Load a URL before its view exists; the view's first read of it then asks nothing more. */
  function prefetch<T>(ep: Endpoint<T>): Promise<void> {
    prefetched.add(ep.path);
    return load(ep);
  }

  /**
   * Whether a view starting to read `path` can take a prefetch's answer instead of asking again: once
   * per prefetch, while it is on its way or just arrived (a playlist's page read minutes later asks
   * anew), and not after a failed one.
   */
  function takePrefetched(path: string): boolean {
    if (!prefetched.delete(path)) return false;
    const s = resources[path];
    if (!s || s.status === 'error') return false;
    return s.status === 'loading' || (s.confirmedAt !== null && Date.now() - s.confirmedAt < PREFETCH_FRESH_MS);
  }

  function retain(path: string): void {
    watchers.set(path, (watchers.get(path) ?? 0) + 1);
  }
  function release(path: string): void {
    const n = (watchers.get(path) ?? 0) - 1;
    if (n > 0) watchers.set(path, n);
    else watchers.delete(path);
  }

  /**
   * Revalidate what is on screen (the wall's refresh tick): every URL a view shows now, or, when no
   * view registered any, everything loaded so far. A period that moved on is not asked again.
   */
  function revalidateAll(): Promise<void[]> {
    const paths = watchers.size ? [...watchers.keys()] : Object.keys(resources);
    return Promise.all(paths.map((path) => load({ path })));
  }

  const stale = computed(() => !online.value);

  return { resources, online, stale, lastContactAt, lastFailureAt, counters, load, prefetch, takePrefetched, retain, release, revalidateAll };
});
