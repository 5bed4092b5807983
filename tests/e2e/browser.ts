// Debian's Chromium driven by playwright-core (never a downloaded browser). In CI (CI set) a missing
// /usr/bin/chromium is an error; elsewhere the browser tests skip and say how to install it.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { CHROMIUM_FLAGS } from '../../server/exports/pdf.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const INSTALL_HINT = 'apt-get update && apt-get install -y chromium fonts-noto-cjk';

// The server's PDF flags, plus what screenshots need.
export const ARGS = [...CHROMIUM_FLAGS, '--hide-scrollbars', '--font-render-hinting=none'];

/** Whether browser tests can run here; throws in CI when the browser is missing. */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI) throw new Error(`${CHROMIUM} is missing: CI must install it (${INSTALL_HINT})`);
  console.warn(`browser tests skipped: ${CHROMIUM} not found. Install Chromium and Chinese fonts with: ${INSTALL_HINT}`);
  return false;
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launch(opts: { width?: number; height?: number; deviceScaleFactor?: number; acceptDownloads?: boolean } = {}): Promise<Browser> {
  const dir = await mkdtemp(path.join(tmpdir(), 'uc-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    args: ARGS,
    viewport: { width: opts.width ?? 1440, height: opts.height ?? 900 },
    deviceScaleFactor: opts.deviceScaleFactor ?? 1,
    acceptDownloads: opts.acceptDownloads ?? true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
