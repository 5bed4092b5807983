// PDF by printing the report page in headless Chromium (playwright-core driving the system's
// /usr/bin/chromium; never a downloaded browser). One persistent browser context is started on the
// first PDF, shared by later ones (a page each, at most `concurrency` at a time) and closed after
// `idleMs` without work or when the app closes. No browser installed: a 503 saying how to install one.
// Printing is the server's most expensive answer, so it is bounded: a short queue (then 503 with
// Retry-After), a few renders per account (then 429), a time limit per render, and a render whose
// client has gone leaves the queue or stops printing.
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
  // Chromium 156 loads the omnibox's popup (and its AI-mode box) as web pages of their own at start-up and
  // again while the first page loads, headless too: some 300 scripts, a renderer's work competing with
  // the page on two cores (a wall's first request went out 300 ms after its HTML had come).
  '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup',
];

export const INSTALL_HINT = 'apt-get install -y chromium fonts-noto-cjk';

export interface PdfOptions {
  /** The Chromium binary; null disables PDF exports. */
  executablePath: string | null;
  /** Pages printing at once. */
  concurrency?: number;
  /** Renders waiting for a page; one more is a 503 with Retry-After, not an ever longer wait. */
  maxQueued?: number;
  /** Renders one account may have running or waiting; one more is a 429 (20 abandoned tabs are 2). */
  perAccount?: number;
  /** A render (page, layout, print) taking longer is stopped: 503 pdf_timeout. */
  timeoutMs?: number;
  idleMs?: number;
}

export interface RenderOptions {
  landscape?: boolean;
  /** Who asks: counted against perAccount. */
  account: string;
  /** Aborted when the client has gone: a waiting render leaves the queue, a running one stops. */
  signal?: AbortSignal;
}

/** Seconds a refused caller is told to wait: about one render's time. */
const RETRY_AFTER_S = 5;

interface Waiter {
  resolve: () => void;
}

/** Nobody is waiting for this PDF any more; answered (to nobody) without logging an error. */
const clientGone = () => new ApiError(503, 'pdf_busy', 'the client closed the connection: the PDF was not made');

export class PdfRenderer {
  #context: Promise<{ context: BrowserContext; dir: string }> | null = null;
  #active = 0;
  #queue: Waiter[] = [];
  #byAccount = new Map<string, number>();
  #idle: NodeJS.Timeout | null = null;
  readonly concurrency: number;
  readonly maxQueued: number;
  readonly perAccount: number;
  readonly timeoutMs: number;
  readonly idleMs: number;

  constructor(private readonly opts: PdfOptions) {
    this.concurrency = opts.concurrency ?? 2;
    this.maxQueued = opts.maxQueued ?? 4;
    this.perAccount = opts.perAccount ?? 2;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.idleMs = opts.idleMs ?? 5 * 60_000;
  }

  /** Whether a browser is there to print with. */
  get available(): boolean {
    return this.opts.executablePath !== null && existsSync(this.opts.executablePath);
  }

  /** Renders printing and waiting now, and whether a browser has been started (for tests and logs). */
  get load(): { active: number; queued: number; launched: boolean } {
    return { active: this.#active, queued: this.#queue.length, launched: this.#context !== null };
  }

  unavailable(): ApiError {
    const where = this.opts.executablePath ?? '(disabled: CHROMIUM_PATH is empty)';
    return new ApiError(
      503,
      'pdf_unavailable',
      `PDF export needs Chromium, which is not installed on this server (${where}): install it with \`${INSTALL_HINT}\`; CSV and XLSX exports work without it`,
    );
  }

  async render(html: string, opts: RenderOptions): Promise<Buffer> {
    if (!this.available) throw this.unavailable();
    const mine = this.#byAccount.get(opts.account) ?? 0;
    if (mine >= this.perAccount) {
      throw new ApiError(429, 'rate_limited', `${mine} PDF exports of yours are already being made: wait for them`, undefined, {
        'retry-after': String(RETRY_AFTER_S),
      });
    }
    this.#byAccount.set(opts.account, mine + 1);
    try {
      await this.#slot(opts.signal);
      try {
        return await this.#print(html, opts);
      } finally {
        this.#release();
      }
    } finally {
      const n = this.#byAccount.get(opts.account)! - 1;
      if (n === 0) this.#byAccount.delete(opts.account);
      else this.#byAccount.set(opts.account, n);
    }
  }

  /** Print on a page of its own, closing the page (which stops the print) on timeout or when the client goes. */
  async #print(html: string, opts: RenderOptions): Promise<Buffer> {
    const { context } = await this.#launch();
    const signal = AbortSignal.any([AbortSignal.timeout(this.timeoutMs), ...(opts.signal ? [opts.signal] : [])]);
    const page = await context.newPage();
    const stop = () => void page.close().catch(() => {});
    signal.addEventListener('abort', stop, { once: true });
    try {
      if (signal.aborted) throw signal.reason;
      await page.setContent(html, { waitUntil: 'load', timeout: this.timeoutMs });
      return await page.pdf({
        format: 'A4',
        landscape: opts.landscape ?? false,
        printBackground: true,
        preferCSSPageSize: true,
        displayHeaderFooter: true,
        headerTemplate: '<span></span>',
        footerTemplate: `<div style="width:100%;font-size:7pt;color:#777;text-align:center;font-family:sans-serif"><span class="pageNumber"></span> / <span class="totalPages"></span></div>`,
      });
    } catch (err) {
      if (opts.signal?.aborted) throw clientGone();
      if (signal.aborted) {
        throw new ApiError(503, 'pdf_timeout', `the PDF took longer than ${this.timeoutMs / 1000} s to print and was stopped: try again, or export XLSX`, undefined, {
          'retry-after': String(RETRY_AFTER_S),
        });
      }
      throw err;
    } finally {
      signal.removeEventListener('abort', stop);
      await page.close().catch(() => {});
    }
  }

  #launch(): Promise<{ context: BrowserContext; dir: string }> {
    if (this.#context) return this.#context;
    const launched = (async () => {
      const { chromium } = await import('playwright-core');
      const dir = await mkdtemp(path.join(tmpdir(), 'uc-pdf-'));
      const forget = () => {
        if (this.#context === launched) this.#context = null; // not a browser started since
        return rm(dir, { recursive: true, force: true, maxRetries: 3 });
      };
      try {
        const context = await chromium.launchPersistentContext(dir, {
          executablePath: this.opts.executablePath!,
          args: CHROMIUM_FLAGS,
          javaScriptEnabled: false,
          offline: true,
          locale: 'zh-CN',
          timeout: 30_000,
        });
        // Closed by us or crashed: its profile goes with it, and the next PDF starts a new browser.
        context.on('close', () => void forget().catch(() => {}));
        return { context, dir };
      } catch (err) {
        await forget();
        throw err;
      }
    })();
    this.#context = launched;
    return launched;
  }

  /** A printing slot now, or a place in the bounded queue; leaving the queue if the client goes. */
  #slot(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(clientGone());
    if (this.#idle) clearTimeout(this.#idle);
    this.#idle = null;
    if (this.#active < this.concurrency) {
      this.#active++;
      return Promise.resolve();
    }
    if (this.#queue.length >= this.maxQueued) {
      return Promise.reject(
        new ApiError(503, 'pdf_busy', `${this.#active} PDFs are printing and ${this.#queue.length} waiting: try again shortly, or export XLSX`, undefined, {
          'retry-after': String(RETRY_AFTER_S),
        }),
      );
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve: () => {
          signal?.removeEventListener('abort', leave);
          resolve();
        },
      };
      const leave = () => {
        this.#queue = this.#queue.filter((w) => w !== waiter);
        reject(clientGone());
      };
      signal?.addEventListener('abort', leave, { once: true });
      this.#queue.push(waiter);
    });
  }

  /** Hand the slot to the next waiter, or free it. */
  #release(): void {
    const next = this.#queue.shift();
    if (next) return next.resolve();
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
