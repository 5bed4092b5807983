// One JSON error shape for every failure: {error: {code, message, field?}}. Validation failures name
// the parameter and what it allows (from the schema's description); server errors never show a stack.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Type, type TSchema } from 'typebox';

export type ErrorCode =
  | 'bad_request'
  | 'unauthenticated'
  | 'invalid_credentials'
  | 'forbidden'
  | 'not_found'
  | 'rate_limited'
  | 'warehouse_unavailable'
  | 'pdf_unavailable'
  | 'too_large'
  | 'unsupported_type'
  | 'conflict'
  | 'internal';

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export const badParameter = (field: string, message: string) => new ApiError(400, 'bad_request', `${field}: ${message}`, field);
export const notFound = (message: string, field?: string) => new ApiError(404, 'not_found', message, field);
export const forbidden = (message: string, field?: string) => new ApiError(403, 'forbidden', message, field);

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'machine-readable: bad_request, unauthenticated, forbidden, not_found, ...' }),
      message: Type.String(),
      field: Type.Optional(Type.String({ description: 'the request parameter at fault' })),
    }),
  },
  { $id: 'ErrorBody', description: 'Every error response has this shape' },
);

/** Error responses for a route's schema, so OpenAPI documents them and the serializer knows them. */
export function errorResponses(...codes: number[]): Record<number, TSchema> {
  return Object.fromEntries(codes.map((c) => [c, Type.Ref('ErrorBody')]));
}

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

const PARTS: Record<string, string> = { querystring: 'query parameter', params: 'path parameter', body: 'body field', headers: 'header' };

/** The value as sent, cut short: an error message is no mirror for a 10 KB parameter. */
function echo(value: unknown): string {
  const json = typeof value === 'number' && !Number.isFinite(value) ? String(value) : (JSON.stringify(value) ?? String(value));
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

/** "query parameter 'unit' must be <what the schema's description allows> (got "abc")". */
function describeValidation(request: FastifyRequest, errors: AjvError[], part: string): { field: string; message: string } {
  const e = errors[0];
  const field =
    (e.params.missingProperty as string | undefined) ?? (e.instancePath.split('/').filter(Boolean)[0] || part);
  const schema = (request.routeOptions.schema as Record<string, { properties?: Record<string, { description?: string }> }> | undefined)?.[part];
  const allowed = schema?.properties?.[field]?.description;
  const source = { querystring: request.query, params: request.params, body: request.body }[part] as Record<string, unknown> | undefined;
  const given = source?.[field];
  const got = given === undefined ? '' : ` (got ${echo(given)})`;
  const problem =
    e.keyword === 'required'
      ? `is required${allowed ? `: ${allowed}` : ''}`
      : e.keyword === 'enum'
        ? `must be one of ${(e.params.allowedValues as unknown[]).join(', ')}${got}`
        : `${allowed ? `must be ${allowed}` : (e.message ?? 'is not valid')}${got}`;
  return { field, message: `${PARTS[part] ?? part} '${field}' ${problem}` };
}

/**
 * Fastify's frameworkErrors: a URL the router cannot read (broken percent-encoding, a path segment
 * over 100 characters) is answered before any hook runs, so the error shape and the security headers
 * are given here.
 */
export function unreadableUrl(headers: Record<string, string>) {
  return (err: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
    reply.headers(headers);
    if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') {
      return reply.code(400).send({ error: { code: 'bad_request', message: 'a path segment of the URL is too long (at most 100 characters)' } });
    }
    if (err.code === 'FST_ERR_BAD_URL') {
      return reply.code(400).send({ error: { code: 'bad_request', message: 'the URL is not valid: broken percent-encoding' } });
    }
    return reply.code(500).send({ error: { code: 'internal', message: 'internal server error' } });
  };
}

export default fp(
  async (app) => {
    app.addSchema(ErrorBody);

    app.setErrorHandler((err: FastifyError & { validationContext?: string }, request, reply) => {
      if (err instanceof ApiError) {
        const { statusCode, code, message, field } = err;
        return reply.code(statusCode).send({ error: { code, message, ...(field ? { field } : {}) } });
      }
      if (err.validation) {
        const { field, message } = describeValidation(request, err.validation as AjvError[], err.validationContext ?? 'querystring');
        return reply.code(400).send({ error: { code: 'bad_request', message, field } });
      }
      const status = err.statusCode ?? 500;
      if (status < 500) {
        // Fastify's own client errors (bad JSON body, wrong content type, body too large): safe to show.
        return reply.code(status).send({ error: { code: status === 429 ? 'rate_limited' : 'bad_request', message: err.message } });
      }
      request.log.error({ err }, 'request failed');
      return reply.code(500).send({ error: { code: 'internal', message: 'internal server error' } });
    });

    app.setNotFoundHandler((request, reply) =>
      reply.code(404).send({ error: { code: 'not_found', message: `no such endpoint: ${request.method} ${request.url.split('?')[0]}` } }),
    );
  },
  { name: 'errors' },
);
