// The one place the cockpit talks HTTP. Same origin (the session cookie goes along); a wall screen
// sends its display token as a bearer header. Conditional requests: the caller passes the ETag it
// holds and gets `notModified` back for a 304, so an unchanged snapshot costs no body and no re-render.
import { takeEarly } from './early.ts';
import type { ApiErrorBody } from './types.ts';

let displayToken: string | null = null;

/** The display token of a wall screen (from ?token=), sent with every request; null to stop. */
export function setDisplayToken(token: string | null): void {
  displayToken = token;
}

export type FailureKind =
  /** no answer at all: server down, network gone (the wall turns stale) */
  | 'network'
  /** the server answered 5xx or 503 (no warehouse) */
  | 'server'
  /** 401: not logged in, or the token was revoked */
  | 'unauthenticated'
  /** 403: this role or county may not see it */
  | 'forbidden'
  /** the endpoint does not exist on this server (yet) */
  | 'unavailable'
  /** 400 / 404 for a parameter */
  | 'client';

export class ApiRequestError extends Error {
  constructor(
    readonly kind: FailureKind,
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

/** A typed endpoint: its URL (with query) and, in the type only, what it returns. */
export interface Endpoint<T> {
  readonly path: string;
  readonly __type?: T;
}

export const endpoint = <T>(path: string, query: Record<string, string | number | undefined | null> = {}): Endpoint<T> => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return { path: qs ? `${path}?${qs}` : path };
};

export type Fetched<T> = { notModified: true } | { notModified: false; data: T; etag: string | null };

function kindOf(status: number, body: ApiErrorBody | null): FailureKind {
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status >= 500) return 'server';
  if (status === 404 && (!body || body.error.message.startsWith('no such endpoint'))) return 'unavailable';
  return 'client';
}

async function readError(res: Response): Promise<ApiErrorBody | null> {
  try {
    const body = (await res.json()) as ApiErrorBody;
    return body && typeof body.error?.message === 'string' ? body : null;
  } catch {
    return null;
  }
}

function headers(extra: Record<string, string> = {}): Record<string, string> {
  // X-Requested-With: the server refuses state-changing requests without it (or a same-origin Origin).
  const h: Record<string, string> = { accept: 'application/json', 'x-requested-with': 'union-cockpit', ...extra };
  if (displayToken) h.authorization = `Bearer ${displayToken}`;
  return h;
}

export interface GetOptions {
  etag?: string | null;
  signal?: AbortSignal;
  /** injected in tests */
  fetchImpl?: typeof fetch;
}

export async function apiGet<T>(ep: Endpoint<T>, opts: GetOptions = {}): Promise<Fetched<T>> {
  const f = opts.fetchImpl ?? fetch;
  let res: Response;
  try {
    // A wall's first answers may be on their way already (index.html's preload script, api/early.ts).
    const early = opts.etag || opts.fetchImpl || opts.signal ? null : takeEarly(ep.path, displayToken);
    res = await (early ?? f(ep.path, {
      method: 'GET',
      credentials: 'same-origin',
      // The app does the revalidation itself, so it sees the 304 and keeps what it has.
      cache: 'no-store',
      headers: headers(opts.etag ? { 'if-none-match': opts.etag } : {}),
      signal: opts.signal,
    }));
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiRequestError('network', 0, (e as Error).message || 'network error');
  }
  if (res.status === 304) return { notModified: true };
  if (!res.ok) {
    const body = await readError(res);
    throw new ApiRequestError(kindOf(res.status, body), res.status, body?.error.message ?? res.statusText, body?.error.field);
  }
  const type = res.headers.get('content-type') ?? '';
  // An SPA fallback answering an unknown API path with index.html is an endpoint that is not there.
  if (!type.includes('json')) throw new ApiRequestError('unavailable', 404, `not JSON: ${ep.path}`);
  return { notModified: false, data: (await res.json()) as T, etag: res.headers.get('etag') };
}

/** A state-changing request (JSON body, a multipart form, or none); the answer's JSON, or null for 204. */
async function send<T>(method: 'POST' | 'DELETE', path: string, body: unknown, f: typeof fetch): Promise<T> {
  const form = typeof FormData !== 'undefined' && body instanceof FormData;
  let res: Response;
  try {
    res = await f(path, {
      method,
      credentials: 'same-origin',
      // A FormData body sets its own multipart content type (with the boundary).
      headers: headers(body === undefined || form ? {} : { 'content-type': 'application/json' }),
      body: body === undefined ? undefined : form ? (body as FormData) : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiRequestError('network', 0, (e as Error).message || 'network error');
  }
  if (!res.ok) {
    const err = await readError(res);
    throw new ApiRequestError(kindOf(res.status, err), res.status, err?.error.message ?? res.statusText, err?.error.field);
  }
  if (res.status === 204) return null as T;
  return (await res.json()) as T;
}

export function apiPost<T>(path: string, body: unknown, opts: { fetchImpl?: typeof fetch } = {}): Promise<T> {
  return send<T>('POST', path, body, opts.fetchImpl ?? fetch);
}

/** Upload a file (multipart/form-data: `file` plus text fields). */
export function apiUpload<T>(path: string, file: Blob & { name?: string }, fields: Record<string, string | undefined> = {}, opts: { fetchImpl?: typeof fetch } = {}): Promise<T> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) if (v) form.append(k, v);
  form.append('file', file, file.name ?? 'upload');
  return send<T>('POST', path, form, opts.fetchImpl ?? fetch);
}

export function apiDelete<T>(path: string, opts: { fetchImpl?: typeof fetch } = {}): Promise<T> {
  return send<T>('DELETE', path, undefined, opts.fetchImpl ?? fetch);
}
