// The PDF renderer (headless Chromium, started on the first PDF export), shared by the app and closed
// with it.
import type { FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { PdfRenderer, type PdfOptions } from '../exports/pdf.ts';

declare module 'fastify' {
  interface FastifyInstance {
    pdf: PdfRenderer;
  }
}

/** Aborted when the connection closes before the answer is written: the client has gone. */
export function clientGone(reply: FastifyReply): AbortSignal {
  const gone = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) gone.abort();
  });
  return gone.signal;
}

export default fp<PdfOptions>(
  async (app, opts) => {
    const pdf = new PdfRenderer(opts);
    app.decorate('pdf', pdf);
    app.addHook('onClose', () => pdf.close());
  },
  { name: 'pdf' },
);
