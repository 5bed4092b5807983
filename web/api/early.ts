// Requests a wall screen starts before the app's code has arrived: web/build/wall-preload.ts (the
// first script of index.html, run before the entry) asks for the wall's maps and its first API answers
// (who am I, the wall bundle, the reporting totals, the county map and the trend and growth charts
// drawn on the server) at once, and leaves each pending response here under its URL (the charts under
// their path). The app's first request for such a URL takes it instead of asking again; each once.
// A real request, not a <link rel=preload>: its answer is handed over, never matched by the browser's
// preload cache (which, under load, fetched the maps a second time).

/** What the preload script left: the response and the bearer token it was asked with (null: none). */
export interface EarlyRequest {
  bearer: string | null;
  response: Promise<Response>;
}

/**
 * Where the preload script leaves the trend and growth charts it asked for: under the path, as their
 * URL carries the boxes it computed, which the app compares with its own (views/wall/firstPictures.ts).
 */
export const EARLY_CHARTS = '/api/wall/charts';

/** The global the preload script writes (its name is in web/build/wall-preload.ts too). */
export const EARLY_GLOBAL = '__wallEarly';

/**
 * The early response for `url`, if the preload script asked for it with the same bearer token (a
 * different token would be someone else's answer); null otherwise. Taken once: later requests for the
 * URL (revalidations, a playlist's next turn) go to the network.
 */
export function takeEarly(url: string, bearer: string | null): Promise<Response> | null {
  const early = (globalThis as Record<string, unknown>)[EARLY_GLOBAL] as Record<string, EarlyRequest | undefined> | undefined;
  const e = early?.[url];
  if (!e) return null;
  delete early[url];
  return e.bearer === bearer ? e.response : null;
}
