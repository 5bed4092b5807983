// What the console shows once the cockpit answers: where to go, how to log in.
import { liveDemoCredentials } from './appdb/seed.ts';
import type { App } from './app.ts';
import { appOptions, baseUrl, chromium } from './config.ts';
import { INSTALL_HINT } from './exports/pdf.ts';
import { isBuilt } from './routes/web.ts';

/** What the console shows once the cockpit answers. */
export async function banner(app: App): Promise<string> {
  const { warehouse, appDb, webDist } = appOptions;
  const base = baseUrl;
  const { accounts, displayToken } = await liveDemoCredentials(app.appDb);
  const lines = [
    '',
    webDist && isBuilt(webDist) ? `cockpit             ${base}/` : `cockpit             not built: vite build --config web/vite.config.ts (into ${webDist})`,
    `API                 ${base}/api`,
    `OpenAPI             ${base}/docs   (log in first: POST /api/auth/login)`,
    `warehouse           ${warehouse}${app.warehouse.current ? `  (snapshot ${app.warehouse.current.id})` : '  (not built yet: npm run etl -- load ...)'}`,
    `application db      ${appDb}`,
    `PDF exports         ${app.pdf.available ? `Chromium at ${chromium}` : `unavailable (no Chromium${chromium ? ` at ${chromium}` : ''}: ${INSTALL_HINT})`}`,
  ];
  if (accounts.length) {
    lines.push('', 'demo accounts (change them with npm run users before real use):');
    for (const a of accounts) lines.push(`  ${a.role.padEnd(8)} ${a.username.padEnd(15)} ${a.password}${a.county_code ? `   county ${a.county_code}` : ''}`);
  }
  if (displayToken) lines.push('', `display token       ${displayToken}`, `wall display        ${base}/wall?token=${displayToken}`);
  return lines.join('\n') + '\n';
}
