// Wall soak benchmark (npm run bench -- soak [--days 7] [--speed 600]): a week of a hall's wall in
// headless Chromium against the real server, its clock accelerated (tests/e2e/soak.ts), with the JS
// heap, DOM nodes and listeners read at the start (after a six-hour warm-up) and at every simulated
// day. Judged by the same bounds as the short soak in npm test (tests/e2e/wall-soak.test.ts).
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
    const r = await soakWall(cockpit, browser, { days, speed, warmupHours: 6, samples: Math.max(2, Math.round(days)) });
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
