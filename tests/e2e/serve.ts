// Run the cockpit for a look by hand: `npx tsx tests/e2e/serve.ts [port]` prints the URLs.
import { startCockpit } from './harness.ts';

const cockpit = await startCockpit({ port: Number(process.argv[2] ?? 0) || undefined });
console.log(`cockpit ${cockpit.url}\nwall    ${cockpit.url}/wall?token=${cockpit.displayToken}`);
for (const s of ['SIGINT', 'SIGTERM'] as const) process.once(s, () => void cockpit.close().then(() => process.exit(0)));
