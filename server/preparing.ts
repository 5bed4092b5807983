// What npm start answers while the first start prepares the data and the cockpit (start.ts):
// GET /api/health says what is being done and how far it is (503 preparing); every other API request,
// and any file, gets 503 with Retry-After; every page a progress page (正在准备数据, 200) that
// reloads itself until the cockpit answers in its place. Nothing here reads data or needs a session: there is none to read yet.
import Fastify from 'fastify';
import type { FirstLoadProgress } from '../core/first-load-progress.ts';
import securityHeaders from './plugins/security-headers.ts';

/** Where the first start is: the data (generation and load, then scores), the cockpit's build. */
export interface Preparation {
  data: FirstLoadProgress | 'ready';
  web: 'building' | 'ready';
  startedAt: number;
}

const RETRY_AFTER = '5';

/** How far the whole preparation is, 0-99 (100 is the cockpit itself). */
export function percentDone(p: Preparation): number {
  const d = p.data;
  if (d === 'ready') return p.web === 'ready' ? 99 : 95;
  if (d.phase === 'scores') return 90;
  return Math.min(85, Math.round((85 * d.rowsGenerated) / Math.max(1, d.rowsExpected)));
}

/** One line saying what is being done, in Chinese and English. */
export function describe(p: Preparation): string {
  const d = p.data;
  if (d !== 'ready') {
    if (d.phase === 'scores') return '正在计算指标与排名 / computing the indicators and ranks';
    return d.phase === 'load'
      ? `演示数据已生成，正在导入 / the demo data is generated, loading the rest (${d.filesLoaded} 个文件已导入 / files loaded)`
      : `正在生成并导入演示数据 / generating and loading the demo data (${d.filesLoaded} 个文件已导入 / files loaded)`;
  }
  return p.web === 'building' ? '正在构建驾驶舱页面 / building the cockpit' : '即将就绪 / almost ready';
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The progress page: no script (the page CSP allows none inline), it reloads itself every 3 s. An
 * empty icon of its own: else the browser asks for /favicon.ico, a file not there yet (503, a console error). */
export function progressPage(p: Preparation): string {
  const pct = percentDone(p);
  const seconds = Math.round((Date.now() - p.startedAt) / 1000);
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta http-equiv="refresh" content="3">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>正在准备数据 · 工会驾驶舱</title>
<style>body{margin:0;min-height:100vh;display:grid;place-items:center;background:#0b1f3a;color:#e6eefc;font:16px/1.6 system-ui,"Noto Sans CJK SC",sans-serif}
main{width:min(90vw,560px)}h1{font-size:28px;margin:0 0 4px}p{margin:4px 0;color:#a9bcd9}
.bar{height:10px;background:#1d3557;border-radius:5px;overflow:hidden;margin:20px 0 8px}.bar i{display:block;height:100%;background:#3fa7ff;width:${pct}%}</style>
</head><body><main data-state="preparing">
<h1>正在准备数据</h1><p>Union Cockpit · preparing the data</p>
<div class="bar" role="progressbar" aria-valuenow="${pct}" aria-valuemin="0" aria-valuemax="100"><i></i></div>
<p>${escapeHtml(describe(p))}</p>
<p>${pct}% · ${seconds} s · 本页自动刷新，就绪后进入驾驶舱 / this page reloads itself and opens the cockpit when ready</p>
</main></body></html>
`;
}

/** The app that answers while `state` is being prepared. */
export async function buildPreparingApp(state: Preparation, opts: { logger?: boolean | object } = {}) {
  const app = Fastify({ logger: opts.logger ?? false });
  await app.register(securityHeaders, { hsts: false, contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } });
  app.get('/api/health', { config: { roles: 'public' } }, async (_request, reply) => {
    reply.code(503).header('cache-control', 'no-store').header('retry-after', RETRY_AFTER);
    return { status: 'preparing', snapshot: null, message: describe(state), percent: percentDone(state) };
  });
  app.all('/api/*', { config: { roles: 'public' } }, async (_request, reply) => {
    reply.code(503).header('cache-control', 'no-store').header('retry-after', RETRY_AFTER);
    return { error: { code: 'warehouse_unavailable', message: describe(state) } };
  });
  // A page answers 200 (a browser would log a 503 document as an error); a file the progress page
  // never asks for (a script, a map) is not there yet: 503 like the API.
  app.setNotFoundHandler(async (request, reply) => {
    reply.header('cache-control', 'no-store');
    const isPage = (request.method === 'GET' || request.method === 'HEAD') && !/\.\w+$/.test(request.url.split('?')[0]);
    if (isPage) return reply.type('text/html; charset=utf-8').send(progressPage(state));
    return reply.code(503).header('retry-after', RETRY_AFTER).send({ error: { code: 'warehouse_unavailable', message: describe(state) } });
  });
  return app;
}
