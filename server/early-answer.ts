// Fastify's serverFactory for the API: the same HTTP server Fastify would make (its timeouts and
// keep-alive settings), which first offers each request to an early answer (the response cache's
// hits for known callers, server/plugins/cache.ts) and hands the rest to Fastify. A hit answered
// here skips Fastify's request and reply objects, routing and hook chain: the most frequent request
// of all, a wall polling a cached JSON, costs little more than writing it.
import http, { type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';

/** The options Fastify passes to its serverFactory that shape the HTTP server (its defaults filled in). */
interface ServerSettings {
  http?: http.ServerOptions;
  keepAliveTimeout?: number;
  requestTimeout?: number;
  connectionTimeout?: number;
  maxRequestsPerSocket?: number;
}

/** Answers the request (true) or leaves it untouched for Fastify (false). */
export type EarlyAnswer = (req: IncomingMessage, res: ServerResponse) => boolean;

/** `early()` is asked per request, so the app can install the answer once its plugins are ready
 * and withdraw it when it closes; null sends everything to Fastify. */
export function serverWithEarlyAnswer(early: () => EarlyAnswer | null) {
  return (handler: RequestListener, options: ServerSettings): http.Server => {
    const server = http.createServer(options.http ?? {}, (req, res) => {
      if (early()?.(req, res)) return;
      handler(req, res);
    });
    // As Fastify sets up the server it makes itself (fastify/lib/server.js, getServerInstance).
    if (options.keepAliveTimeout !== undefined) server.keepAliveTimeout = options.keepAliveTimeout;
    if (options.requestTimeout !== undefined) server.requestTimeout = options.requestTimeout;
    server.setTimeout(options.connectionTimeout ?? 0);
    if (options.maxRequestsPerSocket) server.maxRequestsPerSocket = options.maxRequestsPerSocket;
    return server;
  };
}
