// What of a request's query goes into the audit log: only the parameters the route declares (its
// querystring schema), each cut to a bounded length. Anything else a caller appends (a 6 KB string,
// text-direction overrides) is not the route's business and not kept.
import type { FastifyRequest } from 'fastify';

/** Longest value kept; declared parameters are codes, periods and enums, far shorter. */
export const MAX_AUDITED_VALUE = 64;

export function declaredQuery(request: FastifyRequest, omit: readonly string[] = []): Record<string, unknown> {
  const schema = request.routeOptions.schema?.querystring as { properties?: Record<string, unknown> } | undefined;
  const query = (request.query ?? {}) as Record<string, unknown>;
  const kept: Record<string, unknown> = {};
  for (const name of Object.keys(schema?.properties ?? {})) {
    const value = query[name];
    if (value === undefined || omit.includes(name)) continue;
    kept[name] = typeof value === 'string' && value.length > MAX_AUDITED_VALUE ? value.slice(0, MAX_AUDITED_VALUE) : value;
  }
  return kept;
}
