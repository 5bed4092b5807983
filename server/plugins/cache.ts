// Responses of routes with `config.cache` are a pure function of (snapshot, URL): their ETag names
// both, a matching If-None-Match gets 304 without touching the warehouse, and the serialized body is
// kept in memory until the next snapshot is published. Cache-Control: private, no-cache makes browsers
// and wall screens revalidate every time (cheap) and keeps shared proxies out (the data is not public).
import { createHash } from 'node:crypto';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The response depends only on the snapshot and the URL (not on who asks, once allowed). */
    cache?: boolean;
  }
}

export interface CacheOptions {
  /** Upper bound on cached bodies (bytes, summed); the oldest go first. */
  maxBytes?: number;
}

/** The URL without the display token: the same data whichever screen asks. */
function cacheUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0 || !url.includes('token=', q)) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  params.delete('token');
  const rest = params.toString();
  return rest ? `${url.slice(0, q)}?${rest}` : url.slice(0, q);
}

const kKey = Symbol('cache key');

export default fp<CacheOptions>(
  async (app, opts) => {
    const maxBytes = opts.maxBytes ?? 64 * 1024 * 1024;
    const bodies = new Map<string, string>();
    let bytes = 0;
    app.warehouse.onSwitch(() => {
      bodies.clear();
      bytes = 0;
    });

    app.decorateRequest(kKey, null);

    // Registered after auth's hooks, so only callers allowed to see the data get a 304 or a cached body.
    app.addHook('preHandler', async (request, reply) => {
      if (!request.routeOptions.config.cache) return;
      const snapshot = request.snapshot();
      const key = `${snapshot.id} ${request.method} ${cacheUrl(request.url)}`;
      const etag = `"${snapshot.id}-${createHash('sha1').update(key).digest('base64url').slice(0, 16)}"`;
      reply.header('etag', etag).header('cache-control', 'private, no-cache');
      const inm = request.headers['if-none-match'];
      if (inm && inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
        return reply.code(304).send();
      }
      const body = bodies.get(key);
      if (body !== undefined) return reply.type('application/json; charset=utf-8').send(body);
      (request as unknown as Record<symbol, string>)[kKey] = key;
    });

    app.addHook('onSend', async (request, reply, payload) => {
      if (reply.statusCode >= 400 && reply.hasHeader('etag')) {
        // Errors are not versions of the resource: no validator, nothing to revalidate.
        reply.removeHeader('etag');
        reply.header('cache-control', 'no-store');
      }
      const key = (request as unknown as Record<symbol, string | null>)[kKey];
      if (!key || reply.statusCode !== 200 || typeof payload !== 'string') return payload;
      // A request that started on the previous snapshot must not fill the new snapshot's cache.
      if (request.snapshot().id !== app.warehouse.current?.id) return payload;
      if (payload.length > maxBytes / 8) return payload;
      bodies.set(key, payload);
      bytes += payload.length;
      for (const [k, v] of bodies) {
        if (bytes <= maxBytes) break;
        bodies.delete(k);
        bytes -= v.length;
      }
      return payload;
    });
  },
  { name: 'cache', dependencies: ['warehouse', 'auth'] },
);
