// Security headers on every response. Pages (the cockpit, /docs) get helmet's document set: CSP,
// frame, referrer and cross-origin policies. API responses are JSON or attachments that no browser
// renders as a page, so they get the short set the OWASP REST Security cheat sheet gives for APIs:
// nothing may load, run or frame them. Neither depends on the request, so helmet runs once at
// start-up into header tables that each reply copies (@fastify/helmet re-ran helmet, CSP parsing
// included, on every request: a tenth of the CPU of a small cached response).
import type { IncomingMessage, ServerResponse } from 'node:http';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

/** The headers helmet would set with these options. */
export function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: string | number) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  let failure: unknown;
  helmet(options)({} as IncomingMessage, res as unknown as ServerResponse, (e?: unknown) => void (failure = e));
  if (failure) throw failure;
  return headers;
}

export const API_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
};

declare module 'fastify' {
  interface FastifyInstance {
    /** The headers every /api/ response carries (for answers written without a reply). */
    apiSecurityHeaders: Readonly<Record<string, string>>;
  }
}

export default fp<HelmetOptions>(
  async (app, options) => {
    const page = helmetHeaders(options);
    const hsts = page['strict-transport-security'];
    const api = hsts ? { ...API_HEADERS, 'strict-transport-security': hsts } : API_HEADERS;
    app.decorate('apiSecurityHeaders', api);
    app.addHook('onRequest', (request, reply, done) => {
      reply.headers(request.url.startsWith('/api/') ? api : page);
      done();
    });
  },
  { name: 'security-headers' },
);
