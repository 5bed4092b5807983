// GET /api/templates/<stream>.xlsx: the fill-in template of a data stream (server/reporting/template.ts),
// for the people who report or check the data. A county account's copy has its county code filled in,
// so the file depends on the stream and the caller's county: each pair is built once per process and
// its ETag is a hash of its bytes. Cache-Control private, no-cache: the browser revalidates, a shared
// cache keeps nothing.
import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { streamNames, streams, type StreamName } from '../../core/contract.ts';
import { errorResponses, notFound } from '../plugins/errors.ts';
import { buildTemplate } from '../reporting/template.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The file, or 304 when the caller's copy (If-None-Match) is this one. */
function sendTemplate(request: FastifyRequest, reply: FastifyReply, stream: StreamName, { body, etag }: { body: Buffer; etag: string }) {
  reply.header('etag', etag).header('cache-control', 'private, no-cache');
  const inm = request.headers['if-none-match'];
  if (inm && inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) return reply.code(304).send();
  const download = `${streams[stream].zh}-${stream}.xlsx`;
  return reply
    .header('content-type', XLSX)
    .header('content-disposition', `attachment; filename="${stream}.xlsx"; filename*=UTF-8''${encodeURIComponent(download)}`)
    .send(body);
}

const isStream = (s: string): s is StreamName => (streamNames as readonly string[]).includes(s);

const templates: FastifyPluginAsyncTypebox = async (app) => {
  /** Built files by stream and county: 7 streams x (111 counties + everyone else) at most, 10 to 40 KB each. */
  const built = new Map<string, Promise<{ body: Buffer; etag: string }>>();
  const templateFor = (stream: StreamName, county: string | null) => {
    const key = `${stream} ${county ?? '-'}`;
    let entry = built.get(key);
    if (!entry) {
      entry = buildTemplate(streams[stream], county, app.reporting.calendar.find((e) => e.stream === stream)).then((body) => ({
        body,
        etag: `"tpl-${createHash('sha1').update(body).digest('base64url').slice(0, 20)}"`,
      }));
      entry.catch(() => built.delete(key));
      built.set(key, entry);
    }
    return entry;
  };

  app.get(
    '/api/templates/:stream.xlsx',
    {
      schema: {
        tags: ['reporting'],
        summary: "A stream's XLSX template: Chinese headers, drop-down lists, date formats, a 说明 sheet; a county account's has its county code",
        params: Type.Object({ stream: Type.String({ maxLength: 64, description: `a data stream: ${streamNames.join(', ')}` }) }),
        response: {
          200: { description: 'the template (XLSX)', type: 'string', format: 'binary' },
          304: { description: 'the copy named in If-None-Match is current', type: 'null' },
          ...errorResponses(401, 403, 404),
        },
      },
      config: { roles: ['county', 'reviewer', 'analyst', 'admin'] },
    },
    async (request, reply) => {
      const { stream } = request.params;
      if (!isStream(stream)) throw notFound(`no template for that stream: the streams are ${streamNames.join(', ')}`, 'stream');
      const p = request.principal!;
      return sendTemplate(request, reply, stream, await templateFor(stream, p.role === 'county' ? p.county_code : null));
    },
  );
};

export default templates;
