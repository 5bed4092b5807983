// Responses of routes with `config.cache` are a pure function of (snapshot, URL): their ETag names
// both, a matching If-None-Match gets 304 without touching the warehouse, and the serialized body is
// kept in memory until the next snapshot is published. Cache-Control: private, no-cache makes browsers
// and wall screens revalidate every time (cheap) and keeps shared proxies out (the data is not public).
// Large bodies go compressed (br, else gzip) to clients that accept it; each compressed variant is made
// once per snapshot and URL and kept beside the JSON, so a warm compressed response costs no CPU.
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { withoutToken } from '../querystring.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The response depends only on the snapshot and the URL (not on who asks, once allowed). */
    cache?: boolean;
  }
}

export interface CacheOptions {
  /** Upper bound on cached bodies (bytes, summed); the oldest go first. */
  maxBytes?: number;
  /** Bodies at least this long (characters) are sent compressed when the client accepts it. */
  compressFrom?: number;
}

type Encoding = 'br' | 'gzip';

interface Entry {
  json: string;
  br?: Buffer;
  gzip?: Buffer;
}

/** The encoding to send: brotli if accepted, else gzip, else none (q=0 refuses one). */
export function pickEncoding(header: string | string[] | undefined): Encoding | null {
  if (!header) return null;
  const accepted = new Map<string, number>();
  for (const part of String(header).toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    accepted.set(name.trim(), q ? Number(q.slice(2)) : 1);
  }
  const ok = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  return ok('br') ? 'br' : ok('gzip') ? 'gzip' : null;
}

function compress(json: string, encoding: Encoding): Buffer {
  return encoding === 'br'
    ? brotliCompressSync(json, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: json.length } })
    : gzipSync(json, { level: 6 });
}

const kKey = Symbol('cache key');

export default fp<CacheOptions>(
  async (app, opts) => {
    const maxBytes = opts.maxBytes ?? 64 * 1024 * 1024;
    const compressFrom = opts.compressFrom ?? 2048;
    const bodies = new Map<string, Entry>();
    let bytes = 0;
    app.warehouse.onSwitch(() => {
      bodies.clear();
      bytes = 0;
    });

    const trim = () => {
      for (const [k, v] of bodies) {
        if (bytes <= maxBytes) break;
        bodies.delete(k);
        bytes -= v.json.length + (v.br?.length ?? 0) + (v.gzip?.length ?? 0);
      }
    };

    /** The entry's body in the encoding the client accepts (compressing it once), with its headers. */
    function encoded(request: FastifyRequest, reply: FastifyReply, entry: Entry): string | Buffer {
      if (entry.json.length < compressFrom) return entry.json;
      reply.header('vary', 'accept-encoding');
      const encoding = pickEncoding(request.headers['accept-encoding']);
      if (!encoding) return entry.json;
      let body = entry[encoding];
      if (!body) {
        body = entry[encoding] = compress(entry.json, encoding);
        bytes += body.length;
      }
      reply.header('content-encoding', encoding);
      return body;
    }

    app.decorateRequest(kKey, null);

    // Registered after auth's hooks, so only callers allowed to see the data get a 304 or a cached body.
    app.addHook('preHandler', async (request, reply) => {
      if (!request.routeOptions.config.cache) return;
      const snapshot = request.snapshot();
      const key = `${snapshot.id} ${request.method} ${withoutToken(request.url)}`;
      const etag = `"${snapshot.id}-${createHash('sha1').update(key).digest('base64url').slice(0, 16)}"`;
      reply.header('etag', etag).header('cache-control', 'private, no-cache');
      const inm = request.headers['if-none-match'];
      if (inm && inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
        return reply.code(304).send();
      }
      const entry = bodies.get(key);
      if (entry !== undefined) return reply.type('application/json; charset=utf-8').send(encoded(request, reply, entry));
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
      const entry: Entry = { json: payload };
      // A request that started on the previous snapshot must not fill the new snapshot's cache.
      if (request.snapshot().id === app.warehouse.current?.id && payload.length <= maxBytes / 8) {
        bodies.set(key, entry);
        bytes += payload.length;
      }
      const body = encoded(request, reply, entry);
      trim();
      return body;
    });
  },
  { name: 'cache', dependencies: ['warehouse', 'auth'] },
);
