// A real cockpit for browser tests, the benchmark and local screenshots: the built web app (dist/web)
// and the real API (server/app.ts buildApp) over a warehouse loaded through the real ETL, listening
// on 127.0.0.1 on a free port. The warehouse comes from fixtures/sample when it holds files, otherwise
// from the fixture generator at a small scale (deterministic: same seed, fixed "today").
import type { Page } from 'playwright-core';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot, sampleDir } from '../../core/paths.ts';
import { loadFiles } from '../../etl/load.ts';
import { processAlive } from '../../core/pid.ts';
import { cachedWarehouse, warehouseOf } from '../helpers/warehouse-cache.ts';
import { buildApp, type App } from '../../server/app.ts';
import { createToken } from '../../server/appdb/tokens.ts';
import type { SubscriptionOptions } from '../../server/subscriptions/plugin.ts';

export const webDist = path.join(repoRoot, 'dist', 'web');
const cacheDir = path.join(repoRoot, '.tmp', 'e2e');

/** Build the web app unless dist/web is newer than every file under web/. */
async function buildWeb(): Promise<void> {
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
      const p = path.join(dir, e.name);
      return Math.max(m, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
    }, 0);
  const index = path.join(webDist, 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs > newest(path.join(repoRoot, 'web'))) return;
  await promisify(execFile)(process.execPath, [path.join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
    cwd: repoRoot,
    // What npm start builds (web/ensure-build.ts): vitest's NODE_ENV=test would make a development build.
    env: { ...process.env, NODE_ENV: 'production' },
    maxBuffer: 16 * 1024 * 1024,
  });
}

function sampleInputs(): string[] | null {
  if (!existsSync(sampleDir)) return null;
  return readdirSync(sampleDir).some((f) => /\.(csv|xlsx)$/i.test(f) || statSync(path.join(sampleDir, f)).isDirectory()) ? [sampleDir] : null;
}

/**
 * A warehouse for the browser tests: the sample's, or when the sample is empty a small generated one,
 * built once per content of its inputs and the code (helpers/warehouse-cache.ts) and shared (it is an
 * immutable snapshot; the server opens it read-only).
 */
export async function e2eWarehouse(): Promise<string> {
  const sample = sampleInputs();
  if (sample) return warehouseOf(sample);
  return cachedWarehouse('generated', async (warehouse) => {
    const { generate } = await import('../../etl/generate/index.ts');
    const tmp = await mkdtemp(path.join(tmpdir(), 'uc-e2e-gen-'));
    try {
      await generate({ scale: 0.02, out: tmp, seed: 7, until: '2023-07', today: '2023-08-15' });
      await loadFiles({ warehouse, inputs: [tmp] });
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });
}

/** Serve dist/web beside the API, as `npm start` will: static files and the SPA's index for page routes. */
/** More static directories to serve (the benchmark's baseline page), as prefix -> directory. */
export type ExtraStatic = { prefix: string; root: string }[];

async function serveExtra(app: App, extra: ExtraStatic): Promise<void> {
  if (!extra.length) return;
  const { default: fastifyStatic } = await import('@fastify/static');
  await app.register(async (web) => {
    web.addHook('onRoute', (route) => {
      route.config = { ...route.config, roles: 'public', countyScope: 'any' };
    });
    for (const x of extra) {
      await web.register(fastifyStatic, { root: x.root, prefix: x.prefix, preCompressed: true, wildcard: false, decorateReply: false, index: ['index.html'] });
    }
  });
}

export interface Cockpit {
  app: App;
  url: string;
  port: number;
  dir: string;
  warehouse: string;
  appDb: string;
  displayToken: string;
  /** Stop listening (the wall should turn stale). */
  stop(): Promise<void>;
  /** Start again on the same port with the same databases (the wall should recover). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

async function listen(warehouse: string, appDb: string, port = 0, extra: ExtraStatic = [], subscriptions?: SubscriptionOptions): Promise<{ app: App; port: number }> {
  // The server serves the built cockpit itself (server/routes/web.ts), as `npm start` does.
  const app = await buildApp({ warehouse, appDb, webDist, logger: false, loginPerMinute: 1000, snapshotPollMs: 60_000, subscriptions });
  await serveExtra(app, extra);
  await app.listen({ host: '127.0.0.1', port });
  const address = app.server.address();
  return { app, port: typeof address === 'object' && address ? address.port : port };
}

/**
 * One process at a time: vitest runs the browser test files in parallel workers, and two Vite builds
 * into one dist/web would empty each other's. A lock directory names its holder; one left by a killed
 * run is taken over.
 */
async function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
  const lock = path.join(cacheDir, 'prepare.lock');
  await mkdir(cacheDir, { recursive: true });
  for (;;) {
    try {
      await mkdir(lock);
      await writeFile(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = Number(await readFile(path.join(lock, 'pid'), 'utf8').catch(() => ''));
      // No pid a second after the lock was made: its maker died in between.
      const orphan = !holder && Date.now() - (await stat(lock).then((s) => s.mtimeMs, () => Date.now())) > 1000;
      if ((holder && !processAlive(holder)) || orphan) await rm(lock, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await work();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

/** The built web app, up to date (built by one test process at a time). */
export const webBuilt = (): Promise<void> => oneAtATime(() => buildWeb());

/** The built web app and the e2e warehouse. */
export const prepareCockpit = (): Promise<{ warehouse: string }> =>
  oneAtATime(async () => {
    await buildWeb();
    return { warehouse: await e2eWarehouse() };
  });

/**
 * `ownWarehouse`: serve a copy of the e2e warehouse, for a test that publishes into it (approved
 * county submissions): the shared one stays as built for the other browser tests.
 */
export async function startCockpit(opts: { port?: number; extraStatic?: ExtraStatic; ownWarehouse?: boolean; subscriptions?: SubscriptionOptions } = {}): Promise<Cockpit> {
  const { warehouse: shared } = await prepareCockpit();
  const dir = await mkdtemp(path.join(tmpdir(), 'uc-e2e-'));
  const warehouse = opts.ownWarehouse ? path.join(dir, 'warehouse.duckdb') : shared;
  if (opts.ownWarehouse) await copyFile(shared, warehouse);
  const appDb = path.join(dir, 'app.sqlite');
  let { app, port } = await listen(warehouse, appDb, opts.port ?? 0, opts.extraStatic, opts.subscriptions);
  const displayToken = createToken(app.appDb, 'e2e-wall', 'e2e').token;
  let running = true;
  const cockpit: Cockpit = {
    get app() {
      return app;
    },
    url: `http://127.0.0.1:${port}`,
    port,
    dir,
    warehouse,
    appDb,
    displayToken,
    async stop() {
      if (!running) return;
      running = false;
      await app.close();
    },
    async restart() {
      if (running) return;
      ({ app } = await listen(warehouse, appDb, port, opts.extraStatic, opts.subscriptions));
      running = true;
    },
    async close() {
      if (running) await app.close();
      running = false;
      await rm(dir, { recursive: true, force: true });
    },
  };
  return cockpit;
}

/** Sign in through the login page; one browser profile serves all tests, so the previous user's session goes first. */
export async function signIn(page: Page, base: string, username: string, password: string): Promise<void> {
  await page.context().clearCookies();
  await page.goto(`${base}/login`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('button[type=submit]')]);
}
