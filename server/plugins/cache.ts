// Responses of routes with `config.cache` are a pure function of (snapshot, URL): their ETag names
// both, a matching If-None-Match gets 304 without touching the warehouse, and the serialized body is
// kept in memory as UTF-8 bytes (not re-encoded for each answer) until the next snapshot is published.
// Cache-Control: private, no-cache makes browsers and wall screens revalidate every time (cheap) and
// keeps shared proxies out (the data is not public).
// Large bodies go compressed (br, else gzip) to clients that accept it; each compressed variant is made
// once per snapshot and URL and kept beside the JSON, so a warm compressed response costs no CPU.
// Requests that miss on a URL while its body is being computed wait for that one computation (a
// publish followed by several wall screens asking at once computes each URL once).
// A hit for a caller whose answers do not depend on a county (every role but county) is answered in
// onRequest, right after the access check: a URL is only stored after its request passed validation
// and the handler, so the same URL needs neither again. County users go through validation and the
// county check (auth's preHandler) first, and are answered from the cache in preHandler.
// Earlier still, a server in front of Fastify (server/early-answer.ts) offers each request to
// `answerEarly`: a hit for a caller auth already knows, whom the stored route admits, is written to
// Node's response with one head made once per entry, before Fastify builds a request or routes it.
// Everything else (a miss, an unknown or county caller, a refusal, a display token in the URL) goes
// on to Fastify. The two paths send the same bytes (tests/server/hot-path.test.ts).
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { withoutToken } from '../querystring.ts';
import type { AccessRule } from './auth.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The response depends only on the snapshot and the URL (not on who asks, once allowed). */
    cache?: boolean;
  }
  interface FastifyInstance {
    responseCache: {
      stats(): CacheStats;
      /** Answers a known caller's hit from Node's request, before Fastify; false: not answered. */
      answerEarly(req: IncomingMessage, res: ServerResponse): boolean;
    };
  }
}

export interface CacheStats {
  /** The running total the size limit is checked against. */
  bytes: number;
  /** What the cache holds right now, summed afresh: bodies and their compressed variants. */
  heldBytes: number;
  entries: number;
  /** Cacheable responses computed by their route handler (misses) since start. */
  computed: number;
  /** Hits answered before Fastify (answerEarly) since start. */
  answeredEarly: number;
}

export interface CacheOptions {
  /** Upper bound on cached bodies (bytes, summed); the oldest go first. */
  maxBytes?: number;
  /** Bodies of at least this many bytes are sent compressed when the client accepts it. */
  compressFrom?: number;
}

type Encoding = 'br' | 'gzip';

interface Entry {
  key: string;
  etag: string;
  /** The JSON as UTF-8. */
  json: Buffer;
  br?: Buffer;
  gzip?: Buffer;
  /** Who the route that stored it admits. */
  rule: AccessRule;
  /** Heads for answerEarly, made on first use: name, value, name, value... */
  heads: Partial<Record<'identity' | Encoding | 'notModified', string[]>>;
}


/** A miss being computed: requests that miss on the same key meanwhile wait for its entry. */
interface Flight {
  key: string;
  etag: string;
  done: Promise<Entry | undefined>;
  settle(entry: Entry | undefined): void;
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

function compress(json: Buffer, encoding: Encoding): Buffer {
  return encoding === 'br'
    ? brotliCompressSync(json, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: json.length } })
    : gzipSync(json, { level: 6 });
}

const kFlight = Symbol('cache flight');
type WithFlight = { [kFlight]: Flight | null };

const size = (e: Entry) => e.json.length + (e.br?.length ?? 0) + (e.gzip?.length ?? 0);

/** Does If-None-Match name this ETag (weak or strong)? */
function matches(inm: string | undefined, etag: string): boolean {
  if (!inm) return false;
  if (inm === etag) return true;
  return inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

export default fp<CacheOptions>(
  async (app, opts) => {
    const maxBytes = opts.maxBytes ?? 64 * 1024 * 1024;
    const compressFrom = opts.compressFrom ?? 2048;
    const contentType = 'application/json; charset=utf-8';
    // `bytes` counts exactly what `bodies` holds: a body when it is stored, a compressed variant when
    // it is added to a stored body, minus both when the entry is dropped.
    const bodies = new Map<string, Entry>();
    const flights = new Map<string, Flight>();
    let bytes = 0;
    let computed = 0;
    let answeredEarly = 0;
    app.decorate('responseCache', {
      stats: (): CacheStats => {
        let heldBytes = 0;
        for (const e of bodies.values()) heldBytes += size(e);
        return { bytes, heldBytes, entries: bodies.size, computed, answeredEarly };
      },
      answerEarly: (req, res) => answerEarly(req, res),
    });
    app.warehouse.onSwitch(() => {
      bodies.clear();
      bytes = 0;
    });

    const trim = () => {
      for (const [k, v] of bodies) {
        if (bytes <= maxBytes) break;
        bodies.delete(k);
        bytes -= size(v);
      }
    };

    /** The encoding this client gets: none below the compression threshold, else the one it accepts. */
    const encodingFor = (entry: Entry, acceptEncoding: string | string[] | undefined): Encoding | null =>
      entry.json.length < compressFrom ? null : pickEncoding(acceptEncoding);

    /** The entry's body in `encoding`, compressed once and kept beside the JSON. */
    function bodyIn(entry: Entry, encoding: Encoding | null): Buffer {
      if (!encoding) return entry.json;
      let body = entry[encoding];
      if (!body) {
        body = entry[encoding] = compress(entry.json, encoding);
        if (bodies.get(entry.key) === entry) {
          bytes += body.length;
          trim();
        }
      }
      return body;
    }

    /** The entry's body in the encoding the client accepts (compressing it once), with its headers. */
    function encoded(request: FastifyRequest, reply: FastifyReply, entry: Entry): Buffer {
      if (entry.json.length < compressFrom) return entry.json;
      reply.header('vary', 'accept-encoding');
      const encoding = encodingFor(entry, request.headers['accept-encoding']);
      if (encoding) reply.header('content-encoding', encoding);
      return bodyIn(entry, encoding);
    }

    /** Ends the request's flight (once): its waiters get the entry, or compute for themselves. */
    function land(request: FastifyRequest, entry: Entry | undefined) {
      const flight = (request as unknown as WithFlight)[kFlight];
      if (!flight) return;
      (request as unknown as WithFlight)[kFlight] = null;
      if (flights.get(flight.key) === flight) flights.delete(flight.key);
      flight.settle(entry);
    }

    /** A stored answer: 304 when the client has it, else the body in the encoding it accepts. */
    function answer(request: FastifyRequest, reply: FastifyReply, entry: Entry) {
      reply.header('etag', entry.etag).header('cache-control', 'private, no-cache');
      if (matches(request.headers['if-none-match'], entry.etag)) return reply.code(304).send();
      return reply.type(contentType).send(encoded(request, reply, entry));
    }

    /** An answer's key: the snapshot, the method and the URL without a display token. */
    const keyOf = (snapshotId: string, request: FastifyRequest) => `${snapshotId} ${request.method} ${withoutToken(request.url)}`;

    app.decorateRequest(kFlight, null);

    // answerEarly's heads: the headers the reply path sends for the same answer, in its order (the
    // security headers of onRequest, then answer() and encoded(), then Fastify's content-length).
    function headOf(entry: Entry, variant: 'identity' | Encoding | 'notModified'): string[] {
      const head = [...Object.entries(app.apiSecurityHeaders).flat(), 'etag', entry.etag, 'cache-control', 'private, no-cache'];
      if (variant === 'notModified') return head;
      head.push('content-type', contentType);
      if (entry.json.length >= compressFrom) head.push('vary', 'accept-encoding');
      if (variant !== 'identity') head.push('content-encoding', variant);
      head.push('content-length', String(bodyIn(entry, variant === 'identity' ? null : variant).length));
      return head;
    }

    function answerEarly(req: IncomingMessage, res: ServerResponse): boolean {
      const url = req.url!;
      const snapshot = app.warehouse.current;
      // Only API answers (their security headers are the API set), and never a URL carrying a
      // display token: auth reads that one from the parsed query, on Fastify's path.
      if (!snapshot || !url.startsWith('/api/') || withoutToken(url) !== url) return false;
      const entry = bodies.get(`${snapshot.id} ${req.method} ${url}`);
      if (!entry) return false;
      const caller = app.knownCaller(req.headers);
      if (!caller || caller.role === 'county' || (entry.rule !== 'public' && !entry.rule.includes(caller.role))) return false;
      answeredEarly++;
      if (matches(req.headers['if-none-match'], entry.etag)) {
        res.writeHead(304, (entry.heads.notModified ??= headOf(entry, 'notModified')));
        res.end();
        return true;
      }
      const encoding = encodingFor(entry, req.headers['accept-encoding']);
      const variant = encoding ?? 'identity';
      res.writeHead(200, (entry.heads[variant] ??= headOf(entry, variant)));
      // HEAD: the GET's head, content-length included, and no body (as Fastify's HEAD routes).
      if (req.method === 'HEAD') res.end();
      else res.end(bodyIn(entry, encoding));
      return true;
    }

    // The fast path: registered after auth's onRequest hook, so the caller is known and allowed.
    app.addHook('onRequest', (request, reply, done) => {
      const role = request.principal?.role;
      if (!role || role === 'county' || !request.routeOptions.config.cache) return done();
      const snapshot = app.warehouse.current;
      const entry = snapshot && bodies.get(keyOf(snapshot.id, request));
      if (!entry) return done();
      answer(request, reply, entry);
    });

    // Registered after auth's hooks, so only callers allowed to see the data get a 304 or a cached body.
    app.addHook('preHandler', async (request, reply) => {
      if (!request.routeOptions.config.cache) return;
      const snapshot = request.snapshot();
      const key = keyOf(snapshot.id, request);
      let entry = bodies.get(key);
      if (entry) return answer(request, reply, entry);
      const flight = flights.get(key);
      const etag = flight?.etag ?? `"${snapshot.id}-${createHash('sha1').update(key).digest('base64url').slice(0, 16)}"`;
      reply.header('etag', etag).header('cache-control', 'private, no-cache');
      if (matches(request.headers['if-none-match'], etag)) return reply.code(304).send();
      if (flight) entry = await flight.done;
      if (entry) return reply.type(contentType).send(encoded(request, reply, entry));
      // A miss: compute it, and let requests missing on the same key meanwhile wait for this one.
      computed++;
      let settle!: (entry: Entry | undefined) => void;
      const done = new Promise<Entry | undefined>((resolve) => (settle = resolve));
      const mine: Flight = { key, etag, done, settle };
      if (!flights.has(key)) flights.set(key, mine);
      (request as unknown as WithFlight)[kFlight] = mine;
      // Whatever ends the request (an error before onSend, the client gone), its waiters go on.
      reply.raw.once('close', () => land(request, undefined));
    });

    app.addHook('onSend', (request, reply, payload, done) => {
      if (reply.statusCode >= 400 && reply.hasHeader('etag')) {
        // Errors are not versions of the resource: no validator, nothing to revalidate.
        reply.removeHeader('etag');
        reply.header('cache-control', 'no-store');
      }
      const flight = (request as unknown as WithFlight)[kFlight];
      if (!flight) return done(null, payload);
      if (reply.statusCode !== 200 || typeof payload !== 'string') {
        land(request, undefined);
        return done(null, payload);
      }
      const entry: Entry = { key: flight.key, etag: flight.etag, json: Buffer.from(payload), rule: request.routeOptions.config.roles ?? [], heads: {} };
      // A request that started on the previous snapshot must not fill the new snapshot's cache.
      if (request.snapshot().id === app.warehouse.current?.id && entry.json.length <= maxBytes / 8) {
        const old = bodies.get(entry.key);
        if (old) bytes -= size(old);
        bodies.set(entry.key, entry);
        bytes += entry.json.length;
        trim();
      }
      land(request, entry);
      done(null, encoded(request, reply, entry));
    });
  },
  { name: 'cache', dependencies: ['warehouse', 'auth'] },
);
