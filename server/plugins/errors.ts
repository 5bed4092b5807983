// One JSON error shape for every failure: {error: {code, message, field?}}. Validation failures name
// the parameter and what it allows (from the schema's description); server errors never show a stack.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Type, type TSchema } from 'typebox';

export type ErrorCode =
  | 'bad_request'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unauthenticated'
  | 'invalid_credentials'
  | 'forbidden'
  | 'not_found'
  | 'rate_limited'
  | 'warehouse_unavailable'
  | 'pdf_unavailable'
  | 'conflict'
  | 'pdf_busy'
  | 'pdf_timeout'
  | 'internal';

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    /** Sent with the error answer, e.g. Retry-After on a 503 or 429. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

/** Control and text-direction characters: shown escaped, so a message cannot be made to read otherwise. */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * User input (a parameter, a path) as an error message repeats it: cut to `max` characters, control
 * and direction characters escaped. An error message is no mirror for a 10 KB parameter; every error
 * that echoes input goes through here.
 */
export function echo(value: unknown, max = 80): string {
  const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));
  const shown = text.replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return shown.length > max ? `${shown.slice(0, max - 3)}...` : shown;
}

export const badParameter = (field: string, message: string) => new ApiError(400, 'bad_request', `${field}: ${message}`, field);
export const notFound = (message: string, field?: string) => new ApiError(404, 'not_found', message, field);
export const forbidden = (message: string, field?: string) => new ApiError(403, 'forbidden', message, field);

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'machine-readable: bad_request, unauthenticated, forbidden, not_found, rate_limited, ...' }),
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

/** "query parameter 'unit' must be <what the schema's description allows> (got "abc")". */
function describeValidation(request: FastifyRequest, errors: AjvError[], part: string): { field: string; message: string } {
  const e = errors[0];
  const field =
    (e.params.missingProperty as string | undefined) ?? (e.instancePath.split('/').filter(Boolean)[0] || part);
  const schema = (request.routeOptions.schema as Record<string, { properties?: Record<string, { description?: string }> }> | undefined)?.[part];
  const allowed = schema?.properties?.[field]?.description;
  const source = { querystring: request.query, params: request.params, body: request.body }[part] as Record<string, unknown> | undefined;
  const given = source?.[field];
  const got = given === undefined ? '' : ` (got ${echo(typeof given === 'string' ? JSON.stringify(given) : given)})`;
  const problem =
    e.keyword === 'required'
      ? `is required${allowed ? `: ${allowed}` : ''}`
      : e.keyword === 'enum'
        ? `must be one of ${(e.params.allowedValues as unknown[]).join(', ')}${got}`
        : `${allowed ? `must be ${allowed}` : (e.message ?? 'is not valid')}${got}`;
  return { field, message: `${PARTS[part] ?? part} '${field}' ${problem}` };
}

/** The code of a client error raised by Fastify or a plugin (not by us), from its status. */
const CLIENT_ERROR_CODES: Record<number, ErrorCode> = {
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

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
        const { statusCode, code, message, field, headers } = err;
        if (headers) reply.headers(headers);
        return reply.code(statusCode).send({ error: { code, message, ...(field ? { field } : {}) } });
      }
      if (err.validation) {
        const { field, message } = describeValidation(request, err.validation as AjvError[], err.validationContext ?? 'querystring');
        return reply.code(400).send({ error: { code: 'bad_request', message, field } });
      }
      const status = err.statusCode ?? 500;
      if (status < 500) {
        // Fastify's and its plugins' own client errors (bad JSON body, wrong content type, body too
        // large, a static file refused): safe to show, under the code their status means.
        return reply.code(status).send({ error: { code: CLIENT_ERROR_CODES[status] ?? 'bad_request', message: err.message } });
      }
      request.log.error({ err }, 'request failed');
      return reply.code(500).send({ error: { code: 'internal', message: 'internal server error' } });
    });

    app.setNotFoundHandler((request, reply) =>
      reply.code(404).send({ error: { code: 'not_found', message: `no such endpoint: ${request.method} ${echo(request.url.split('?')[0])}` } }),
    );
  },
  { name: 'errors' },
);
