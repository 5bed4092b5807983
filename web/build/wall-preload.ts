// A wall screen's cold load without the wait for the app's entry. Without help, the wall's code (its
// view, ECharts) and the map files are asked for only once the entry and Vue have arrived and run:
// the router starts them. This build step writes a tiny module, the first script of index.html, that
// on a wall URL (the router's test: /wall, or / with ?token=) preloads them at once, beside the entry.
// Every other page (the login page, a county's phone on /submit) loads nothing more. A separate file,
// not an inline script: the server's Content-Security-Policy allows scripts from the origin only.
import { createHash } from 'node:crypto';
import type { Plugin } from 'vite';

/** The module of the wall's view and the map files it draws, as the build names them. */
const WALL_VIEW = /[\\/]views[\\/]wall[\\/]WallView\.vue$/;
const MAPS = /^guangxi-(counties|cities)\.geo\.json$/;

type Link = [rel: 'modulepreload' | 'preload', href: string, as?: 'style' | 'fetch'];

/** The script: a wall URL gets a preload link for each file, in the order given. */
export function wallPreloadScript(links: readonly Link[]): string {
  return `// Written by web/build/wall-preload.ts: a wall screen's code and maps, asked for before the app's entry has run.
const q = new URLSearchParams(location.search);
if (location.pathname === '/wall' || (location.pathname === '/' && q.has('token'))) {
  for (const [rel, href, as] of ${JSON.stringify(links)}) {
    const l = document.createElement('link');
    l.rel = rel;
    l.href = href;
    if (as) l.as = as;
    // The requests it stands for are CORS-mode (module scripts, fetch(), and the stylesheet link
    // Vite's loader adds with crossorigin): a preload must say so too, or it is not used.
    l.crossOrigin = 'anonymous';
    document.head.append(l);
  }
}
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
      // The view's chunk and every chunk it imports statically, largest first (ECharts).
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
        ...maps.map((f): Link => ['preload', base + f, 'fetch']),
      ];
      const source = wallPreloadScript(links);
      const fileName = `assets/wall-preload-${createHash('sha256').update(source).digest('hex').slice(0, 8)}.js`;
      this.emitFile({ type: 'asset', fileName, source });
      // First in <head>: before the entry's script, so its requests start first.
      const tag = `<script type="module" async crossorigin src="${base}${fileName}"></script>\n    `;
      html.source = String(html.source).replace(/<script type="module"/, (m) => tag + m);
    },
  };
}
