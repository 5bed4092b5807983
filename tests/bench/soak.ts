// Wall soak benchmark (npm run bench -- soak [--days 7] [--speed 600]): a week of a hall's wall in
// headless Chromium against the real server, its clock accelerated (tests/e2e/soak.ts), with the JS
// heap, DOM nodes and listeners read at the start and at every simulated day. Judged by the same
// bounds as the short soak in npm test (tests/e2e/wall-soak.test.ts), from the end of the first day:
// a fresh wall's heap rises by about 2 MB over its first day and then by under 0.1 MB a day
// (measured: 19.7 MB at 8 h, 21.4 MB at 31 h, 22.2 MB at 169 h), a curve that levels off rather
// than the steady climb of a leak; DOM nodes and listeners are flat from the first reading.
import { browserAvailable, launch } from '../e2e/browser.ts';
import { startCockpit } from '../e2e/harness.ts';
import { SOAK_BOUNDS, soakReport, soakWall } from '../e2e/soak.ts';

export async function benchSoak(options: string[]): Promise<void> {
  const opt = (name: string, fallback: number) => {
    const i = options.indexOf(`--${name}`);
    const n = i >= 0 ? Number(options[i + 1]) : fallback;
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
    return n;
  };
  if (!browserAvailable()) return;
  const days = opt('days', 7);
  const speed = opt('speed', 600);
  console.log(`wall soak: ${days} days at speed ${speed} (about ${Math.round((days * 86_400) / speed / 60)} min)`);
  const cockpit = await startCockpit();
  const browser = await launch();
  try {
    const r = await soakWall(cockpit, browser, { days, speed, warmupHours: 24, samples: Math.max(2, Math.round(days) - 1) });
    console.log(soakReport(r));
    const heap = r.end.heapBytes / r.start.heapBytes - 1;
    const nodes = Math.abs(r.end.nodes - r.start.nodes) / r.start.nodes;
    const listeners = r.end.listeners - r.start.listeners;
    const flat = heap <= SOAK_BOUNDS.heapGrowth && nodes <= SOAK_BOUNDS.nodeDrift && listeners <= SOAK_BOUNDS.listenerGrowth;
    console.log(
      `bounds (heap +${SOAK_BOUNDS.heapGrowth * 100}%, nodes ±${SOAK_BOUNDS.nodeDrift * 100}%, listeners +${SOAK_BOUNDS.listenerGrowth}): ${flat ? 'flat' : 'GREW'}`,
    );
    if (!flat) process.exitCode = 1;
  } finally {
    await browser.close();
    await cockpit.close();
  }
}
