// The built cockpit (dist/web, `vite build --config web/vite.config.ts`) beside the API, from the same
// origin (no CORS). Pages and assets are public like the login page: the data behind them is what the
// API guards. Any other GET outside /api and /docs is a page of the single-page app: index.html.
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { echo, notFound } from '../plugins/errors.ts';

/** Whether `dir` holds a built web app. */
export const isBuilt = (dir: string) => existsSync(path.join(dir, 'index.html'));

export default async function web(app: FastifyInstance, opts: { dist: string }) {
  // countyScope 'any': a page URL's ?county= is the app's own filter, not a data request.
  app.addHook('onRoute', (route) => {
    route.config = { ...route.config, roles: 'public', countyScope: 'any' };
  });
  // Hashed asset names: the files are fixed for the life of a build, so they are listed at start.
  await app.register(fastifyStatic, { root: opts.dist, wildcard: false, preCompressed: true, index: false });
  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    const url = request.url.split('?')[0];
    // Unknown API paths and missing files stay 404s; only page paths get the app.
    if (url.startsWith('/api/') || url.startsWith('/docs') || path.extname(url) !== '') {
      throw notFound(`no such endpoint or file: GET ${echo(url)}`);
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}
