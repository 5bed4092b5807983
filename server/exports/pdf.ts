// PDF by printing the report page in headless Chromium (playwright-core driving the system's
// /usr/bin/chromium; never a downloaded browser). One persistent browser context is started on the
// first PDF, shared by later ones (a page each, at most `concurrency` at a time) and closed after
// `idleMs` without work or when the app closes. No browser installed: a 503 saying how to install one.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { ApiError } from '../plugins/errors.ts';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const INSTALL_HINT = 'apt-get install -y chromium fonts-noto-cjk';

export interface PdfOptions {
  /** The Chromium binary; null disables PDF exports. */
  executablePath: string | null;
  concurrency?: number;
  idleMs?: number;
}

export class PdfRenderer {
  #context: Promise<{ context: BrowserContext; dir: string }> | null = null;
  #active = 0;
  #queue: (() => void)[] = [];
  #idle: NodeJS.Timeout | null = null;
  readonly concurrency: number;
  readonly idleMs: number;

  constructor(private readonly opts: PdfOptions) {
    this.concurrency = opts.concurrency ?? 2;
    this.idleMs = opts.idleMs ?? 5 * 60_000;
  }

  /** Whether a browser is there to print with. */
  get available(): boolean {
    return this.opts.executablePath !== null && existsSync(this.opts.executablePath);
  }

  unavailable(): ApiError {
    const where = this.opts.executablePath ?? '(disabled: CHROMIUM_PATH is empty)';
    return new ApiError(
      503,
      'pdf_unavailable',
      `PDF export needs Chromium, which is not installed on this server (${where}): install it with \`${INSTALL_HINT}\`; CSV and XLSX exports work without it`,
    );
  }

  async render(html: string, opts: { landscape?: boolean; footer?: string } = {}): Promise<Buffer> {
    if (!this.available) throw this.unavailable();
    await this.#slot();
    try {
      const { context } = await this.#launch();
      const page = await context.newPage();
      try {
        await page.setContent(html, { waitUntil: 'load' });
        return await page.pdf({
          format: 'A4',
          landscape: opts.landscape ?? false,
          printBackground: true,
          preferCSSPageSize: true,
          displayHeaderFooter: true,
          headerTemplate: '<span></span>',
          footerTemplate: `<div style="width:100%;font-size:7pt;color:#777;text-align:center;font-family:sans-serif"><span class="pageNumber"></span> / <span class="totalPages"></span></div>`,
        });
      } finally {
        await page.close().catch(() => {});
      }
    } finally {
      this.#release();
    }
  }

  #launch(): Promise<{ context: BrowserContext; dir: string }> {
    this.#context ??= (async () => {
      const { chromium } = await import('playwright-core');
      const dir = await mkdtemp(path.join(tmpdir(), 'uc-pdf-'));
      try {
        const context = await chromium.launchPersistentContext(dir, {
          executablePath: this.opts.executablePath!,
          args: CHROMIUM_FLAGS,
          javaScriptEnabled: false,
          offline: true,
          locale: 'zh-CN',
          timeout: 30_000,
        });
        // Closed by us or crashed: the next PDF starts a new browser.
        context.on('close', () => {
          this.#context = null;
        });
        return { context, dir };
      } catch (err) {
        this.#context = null;
        await rm(dir, { recursive: true, force: true });
        throw err;
      }
    })();
    return this.#context;
  }

  #slot(): Promise<void> {
    if (this.#idle) clearTimeout(this.#idle);
    this.#idle = null;
    if (this.#active < this.concurrency) {
      this.#active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#queue.push(resolve));
  }

  #release(): void {
    const next = this.#queue.shift();
    if (next) return next();
    this.#active--;
    if (this.#active === 0) {
      this.#idle = setTimeout(() => void this.close(), this.idleMs);
      this.#idle.unref();
    }
  }

  async close(): Promise<void> {
    if (this.#idle) clearTimeout(this.#idle);
    const c = this.#context;
    this.#context = null;
    if (!c) return;
    const { context, dir } = await c.catch(() => ({ context: null, dir: null }));
    await context?.close().catch(() => {});
    if (dir) await rm(dir, { recursive: true, force: true, maxRetries: 3 }).catch(() => {});
  }
}
