// npm start. When the warehouse and the cockpit's build are there (every start but the first), this is
// server/server.ts after the upgrade check: a warehouse built by other warehouse code is rebuilt first
// (etl/start.ts), a stale build rebuilt, then the app listens.
// On a clean clone it listens at once and answers with the progress app (server/preparing.ts) while
// the demo data is generated and loaded (etl/first-load.ts) and, once the data is generated, the
// cockpit is built beside the loads; when both are done the real app takes over the same listening socket (one HTTP server, whose
// requests go to the progress app's router, then to the app's), so no request is refused in between.
// Ctrl-C at any point leaves no half-built warehouse or build that the next start would take as done:
// both are built beside their place and renamed into it when complete. Once the app serves, the
// styled demo files are written in the background (etl/start.ts finishDemoFiles), on a first start
// and on the start after one stopped before they were.
// The app, the ETL and DuckDB are imported only once the progress app listens: loading them takes
// seconds on a busy machine.
import { createServer } from 'node:http';
import { once } from 'node:events';
import { stat } from 'node:fs/promises';
import type { App } from './server/app.ts';
import type { Preparation } from './server/preparing.ts';
import { appOptions, baseUrl, closeOnSignals, host, port } from './server/config.ts';
import { ensureWebBuild, webBuildStale } from './web/ensure-build.ts';

const { warehouse, webDist } = appOptions;
const stop = new AbortController();

if (await stat(warehouse).then(() => true, () => false)) {
  // Every later start: as before, in seconds when nothing changed.
  const [{ ensureWarehouse, finishDemoFiles }, { buildApp }, { banner }] = await Promise.all([import('./etl/start.ts'), import('./server/app.ts'), import('./server/banner.ts')]);
  await ensureWarehouse(warehouse);
  if (webDist) console.log((await ensureWebBuild(webDist, { signal: stop.signal })) === 'built' ? `built the cockpit into ${webDist}` : `cockpit up to date: ${webDist}`);
  const app = await buildApp(appOptions);
  closeOnSignals(() => app, () => stop.abort());
  await app.listen({ host, port });
  console.log(await banner(app));
  demoFilesInBackground(finishDemoFiles);
} else {
  await firstStart();
}

async function firstStart(): Promise<void> {
  const { buildPreparingApp } = await import('./server/preparing.ts');
  const state: Preparation = {
    data: { phase: 'generate', rowsGenerated: 0, rowsExpected: 1, filesGenerated: 0, filesLoaded: 0 },
    web: webDist && (await webBuildStale(webDist)) ? 'building' : 'ready',
    startedAt: Date.now(),
  };
  const preparing = await buildPreparingApp(state);
  await preparing.ready();
  let app: App | null = null;
  let route = preparing.routing;
  const server = createServer((req, res) => route(req, res));
  // As Fastify sets up its own server: keep-alive longer than a load balancer's idle timeout.
  server.keepAliveTimeout = 72_000;
  closeOnSignals(() => app ?? preparing, () => stop.abort());
  server.listen(port, host);
  await once(server, 'listening');
  console.log(`\n正在准备数据，进度见 / preparing the data, progress at ${baseUrl}/\n`);

  const [{ describeWarehouse, ensureWarehouse, finishDemoFiles }, { buildApp }, { banner }] = await Promise.all([import('./etl/start.ts'), import('./server/app.ts'), import('./server/banner.ts')]);
  let lastPrinted: number | string = -1;
  // The cockpit is built once the demo data is generated: while the generators run they and the loads
  // keep both cores busy, and after them the loads insert on one DuckDB thread (etl/first-load.ts), which
  // leaves a core to the build.
  let generated!: () => void;
  const generation = new Promise<void>((resolve) => (generated = resolve));
  const data = ensureWarehouse(warehouse, (p) => {
    if (p.phase !== 'generate') generated();
    state.data = p;
    // A line per tenth of the rows generated, one when the generator is done and one when the marts
    // and scores begin (the benchmark times these lines).
    const step = p.phase === 'generate' ? Math.floor((10 * p.rowsGenerated) / Math.max(1, p.rowsExpected)) : p.phase;
    if (step === lastPrinted) return;
    lastPrinted = step;
    console.log(p.phase === 'scores'
      ? `  all ${p.filesLoaded} files loaded: building the marts, indicator scores and ranks`
      : p.phase === 'load'
        ? `  all ${p.filesGenerated} files generated, ${p.filesLoaded} loaded so far`
        : `  generated ${(step as number) * 10}% of the rows, ${p.filesLoaded} of ${p.filesGenerated} files loaded so far`);
  }).then(async () => {
    state.data = 'ready';
    console.log(await describeWarehouse(warehouse));
  });
  // (or once the data step ends without generating: another start made the warehouse meanwhile)
  const builds = Promise.race([generation, data.catch(() => {})]);
  const web = webDist ? builds.then(() => ensureWebBuild(webDist, { signal: stop.signal })).then((done) => {
    state.web = 'ready';
    if (done === 'built') console.log(`  built the cockpit into ${webDist}`);
  }) : Promise.resolve();
  try {
    await Promise.all([data, web]);
  } catch (e) {
    if (stop.signal.aborted) return;
    console.error(`首次启动失败 / the first start failed: ${(e as Error).message}`);
    process.exit(1);
  }
  app = await buildApp(appOptions);
  await app.ready();
  route = app.routing;
  await preparing.close();
  console.log(await banner(app));
  demoFilesInBackground(finishDemoFiles);
}

/** The styled demo files, written while the app serves: a failure there is told, and the app serves on
 * (the warehouse is complete; the next start tries the files again). */
function demoFilesInBackground(finish: (warehouse: string) => Promise<void>): void {
  finish(warehouse).catch((e: Error) => {
    if (!stop.signal.aborted) console.error(`写入演示数据文件失败 / writing the demo files failed: ${e.message}`);
  });
}
