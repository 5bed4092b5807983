// npm run bench -- <etl|scores|...>: benchmarks, kept out of npm test. Each prints its figures.
const benches: Record<string, () => Promise<unknown>> = {
  etl: async () => (await import('./etl.ts')).benchEtl(),
  scores: async () => (await import('./scores.ts')).benchScores(),
  api: async () => (await import('./api.ts')).benchApi(),
  web: async () => (await import('./web.ts')).benchWeb(),
};

const names = process.argv.slice(2);
const unknown = names.filter((n) => !(n in benches));
if (names.length === 0 || unknown.length > 0) {
  console.error(`usage: npm run bench -- <${Object.keys(benches).join('|')}>...`);
  process.exit(1);
}
for (const name of names) await benches[name]();
export {};
