// The PDF renderer (headless Chromium, started on the first PDF export), shared by the app and closed
// with it.
import fp from 'fastify-plugin';
import { PdfRenderer, type PdfOptions } from '../exports/pdf.ts';

declare module 'fastify' {
  interface FastifyInstance {
    pdf: PdfRenderer;
  }
}

export default fp<PdfOptions>(
  async (app, opts) => {
    const pdf = new PdfRenderer(opts);
    app.decorate('pdf', pdf);
    app.addHook('onClose', () => pdf.close());
  },
  { name: 'pdf' },
);
