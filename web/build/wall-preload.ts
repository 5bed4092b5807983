// A wall screen's cold load without the wait for the app's entry. Without help, the wall's code (its
// view, ECharts), the map files and the wall's data are asked for only once the entry and Vue have
// arrived and run: the router starts them. This build step writes a tiny script, the first of
// index.html's head, that on a wall URL (the router's test: /wall, or / with ?token=) preloads the code
// and starts the requests for the maps and the first API answers at once, beside the entry; the app
// takes those responses (web/api/early.ts). Every other page (the login page, a county's phone on /submit)
// loads nothing more. A separate file, not an inline script: the server's Content-Security-Policy
// allows scripts from the origin only.
import { createHash } from 'node:crypto';
import type { Plugin } from 'vite';
import { EARLY_CHARTS, EARLY_GLOBAL } from '../api/early.ts';
import { LOCALE_KEY } from '../i18n/locale-key.ts';

/** The module of the wall's view and the map files it draws, as the build names them. */
const WALL_VIEW = /[\\/]views[\\/]wall[\\/]WallView\.vue$/;
const MAPS = /^guangxi-(counties|cities)\.geo\.json$/;

type Link = [rel: 'modulepreload' | 'preload', href: string, as?: 'style'];

/**
 * The script: a wall URL gets a preload link for each code file, in the order given, and requests for
 * the maps and, with a display token, for the API answers the wall asks first (router/index.ts:
 * /api/auth/me, the wall bundle as wallEndpoint names it for ?score=, the reporting totals; the county
 * map and the trend and growth charts drawn on the server, their first paint: views/wall/firstPictures.ts). It leaves each pending response on
 * window.${EARLY_GLOBAL} for web/api/early.ts, with the headers the app's client would send. A URL that drifts from the app's is only not taken: the app asks for it itself.
 */
export function wallPreloadScript(links: readonly Link[], maps: readonly string[]): string {
  return `// Written by web/build/wall-preload.ts: a wall screen's code, maps and first data, asked for before the app's entry has run.
(() => {
const q = new URLSearchParams(location.search);
if (location.pathname === '/wall' || (location.pathname === '/' && q.has('token'))) {
  for (const [rel, href, as] of ${JSON.stringify(links)}) {
    const l = document.createElement('link');
    l.rel = rel;
    l.href = href;
    if (as) l.as = as;
    // The requests it stands for are CORS-mode (module scripts and the stylesheet link Vite's loader
    // adds with crossorigin): a preload must say so too, or it is not used.
    l.crossOrigin = 'anonymous';
    document.head.append(l);
  }
  const early = (window.${EARLY_GLOBAL} = {});
  const ask = (url, bearer, init) => {
    const response = fetch(url, init);
    // A failure is the app's to report when it takes the response (as if it had asked itself).
    response.catch(() => undefined);
    early[url] = { bearer, response };
  };
  for (const url of ${JSON.stringify(maps)}) ask(url, null, {});
  const token = q.get('token');
  if (token) {
    const init = { credentials: 'same-origin', cache: 'no-store', headers: { accept: 'application/json', 'x-requested-with': 'union-cockpit', authorization: 'Bearer ' + token } };
    for (const url of ['/api/auth/me', q.get('score') === 'final' ? '/api/wall?score=final' : '/api/wall', '/api/wall/county-map', '/api/reporting/totals']) ask(url, token, init);
    // The trend and growth charts drawn at the boxes the wall's grid gives them on this screen, in the
    // province's page of ?scale=fill or fit (the standard layout, all in rem: wall.css), so they come
    // with the bundle rather than a round trip after the app's layout. Kept under the path; the app
    // (views/wall/firstPictures.ts) takes them when its own boxes are within a pixel or two.
    const scale = q.get('scale') || 'fill';
    if (!q.has('playlist') && (scale === 'fill' || scale === 'fit')) {
      let lang = q.get('lang');
      if (lang !== 'en' && lang !== 'zh-CN') {
        try { lang = localStorage.getItem(${JSON.stringify(LOCALE_KEY)}); } catch { lang = null; }
        if (lang !== 'en') lang = 'zh-CN';
      }
      // html.wall-mode's font size; the wall is the screen (fill) or 67.5rem high (fit). A chart is 29rem
      // less the panel's borders and padding wide; the column under the head and the tiles (14.5rem)
      // holds the countdown, the reporting line and three gaps (15rem) and the two charts' panels, each
      // a head and body padding (3.27rem) and borders more than its chart.
      const rem = Math.min(innerWidth / 120, innerHeight / 67.5);
      const height = scale === 'fit' ? 67.5 * rem : innerHeight;
      const box = Math.round(27.2 * rem - 2) + 'x' + Math.round((height - 29.5 * rem) / 2 - 2 - 3.27 * rem);
      const url = '/api/wall/charts?lang=' + lang + '&scale_pct=' + Math.round(rem / 16 * 100) + '&mediation_trend=' + box + '&member_growth=' + box;
      ask(url, token, init);
      early[${JSON.stringify(EARLY_CHARTS)}] = early[url];
      delete early[url];
    }
  }
}
})();
`;
}

export function wallPreload(base = '/'): Plugin {
  return {
    name: 'union-cockpit:wall-preload',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const files = Object.values(bundle);
      const chunks = new Map(files.flatMap((f) => (f.type === 'chunk' ? [[f.fileName, f] as const] : [])));
      const view = [...chunks.values()].find((c) => c.facadeModuleId && WALL_VIEW.test(c.facadeModuleId));
      const html = bundle['index.html'];
      if (!view || !html || html.type !== 'asset') return;
      // What the entry already loads statically (its own imports are in index.html).
      const entry = [...chunks.values()].find((c) => c.isEntry);
      const loaded = new Set<string>();
      const mark = (name: string) => {
        if (loaded.has(name)) return;
        loaded.add(name);
        chunks.get(name)?.imports.forEach(mark);
      };
      if (entry) mark(entry.fileName);
      // The view's chunk and every chunk it imports statically, largest first. (Not ECharts: a chart
      // loads it when it draws itself, and the wall's first page is painted from the server's drawings.)
      const js = new Set<string>();
      const css = new Set<string>();
      const walk = (name: string) => {
        if (js.has(name) || loaded.has(name)) return;
        const c = chunks.get(name);
        if (!c) return;
        js.add(name);
        c.viteMetadata?.importedCss.forEach((f) => css.add(f));
        c.imports.forEach(walk);
      };
      walk(view.fileName);
      const size = (name: string) => chunks.get(name)!.code.length;
      const maps = files.filter((f) => f.type === 'asset' && f.names.some((n) => MAPS.test(n))).map((f) => f.fileName).sort();
      const links: Link[] = [
        ...[...js].sort((a, b) => size(b) - size(a)).map((f): Link => ['modulepreload', base + f]),
        ...[...css].map((f): Link => ['preload', base + f, 'style']),
      ];
      const source = wallPreloadScript(links, maps.map((f) => base + f));
      const fileName = `assets/wall-preload-${createHash('sha256').update(source).digest('hex').slice(0, 8)}.js`;
      this.emitFile({ type: 'asset', fileName, source });
      // A classic script, neither async nor a module, before the entry's script and the stylesheet:
      // it runs as soon as it has arrived, while the parser waits for it. A module script (deferred)
      // waited for the whole document and the stylesheet first, and the wall's code, maps and data
      // were asked for a round trip later. Run during parsing, its requests are on
      // window.${EARLY_GLOBAL} before the app's first request looks there (module scripts run after).
      const tag = `<script src="${base}${fileName}"></script>\n    `;
      html.source = String(html.source).replace(/<script type="module"/, (m) => tag + m);
    },
  };
}
