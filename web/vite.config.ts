// The cockpit's build: Vite root is web/, the output is dist/web (served by Fastify with
// @fastify/static in `npm start`). `npm run dev` proxies /api to the API on 127.0.0.1:8080.
// Next to every text asset the build writes .br and .gz copies, so the server can send them
// precompressed (@fastify/static `preCompressed: true`) instead of compressing per request.
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import vue from '@vitejs/plugin-vue';
import { defineConfig, type Plugin } from 'vite';
import { mapAssets } from './build/map-assets.ts';
import { noSvgMaps } from './build/no-svg-maps.ts';
import { wallPreload } from './build/wall-preload.ts';

const webDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(webDir, '..');
// WEB_BUILD_DIR: npm start builds beside dist/web and renames the build into place (web/ensure-build.ts).
export const outDir = process.env.WEB_BUILD_DIR ?? path.join(repoRoot, 'dist', 'web');

/** Writes .br and .gz beside every text asset of `dir` once the bundle is written. */
export function precompress(dir: string = outDir): Plugin {
  return {
    name: 'union-cockpit:precompress',
    apply: 'build',
    async closeBundle() {
      const walk = async (dir: string): Promise<string[]> =>
        (await Promise.all((await readdir(dir)).map(async (name) => {
          const file = path.join(dir, name);
          return (await stat(file)).isDirectory() ? walk(file) : [file];
        }))).flat();
      for (const file of await walk(dir)) {
        if (!/\.(js|css|html|json|svg)$/.test(file)) continue;
        const body = await readFile(file);
        if (body.length < 1024) continue;
        await writeFile(`${file}.gz`, gzipSync(body, { level: 9 }));
        await writeFile(`${file}.br`, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
      }
    },
  };
}

/** ECharts modules only the desk's charts register (charts/desk.ts), and those only they import. */
const DESK_ONLY_ECHARTS = /[\\/](component[\\/]((tooltip|axisPointer|marker|visualMap|dataZoom)[\\/]|grid[\\/]install\.js$|helper[\\/]sliderMove\.js$)|visual[\\/](VisualMapping|visualSolution|visualDefault)\.js$)/;

export default defineConfig({
  root: webDir,
  base: '/',
  plugins: [vue(), mapAssets(), noSvgMaps(), wallPreload(), precompress()],
  // Compile-time flags: every component uses <script setup> or setup(); dropping the Options API and
  // the devtools hooks keeps the bundle smaller.
  define: {
    __VUE_OPTIONS_API__: 'false',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
  },
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    // The map GeoJSON is fetched at run time (imported with ?url), never inlined.
    assetsInlineLimit: 4096,
    chunkSizeWarningLimit: 900,
    rolldownOptions: {
      output: {
        // ECharts changes least often: its own chunk stays cached across cockpit releases. The desk's
        // tooltips, axis pointers, mark lines, visualMap and dataZoom (charts/desk.ts, with the full grid that
        // installs the pointers) stay out of it, with the desk's code: the wall does not load them. (A group takes
        // its modules' imports along, so the grid's installer must be left out too.)
        codeSplitting: {
          groups: [
            { name: 'echarts', test: (id: string) => /node_modules[\\/](echarts|zrender)[\\/]/.test(id) && !DESK_ONLY_ECHARTS.test(id) },
            { name: 'vue', test: /node_modules[\\/](@vue|vue|vue-router|pinia)[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    fs: { allow: [repoRoot] },
    proxy: { '/api': { target: process.env.API_URL ?? 'http://127.0.0.1:8080', changeOrigin: false } },
  },
  preview: { host: '127.0.0.1' },
});
