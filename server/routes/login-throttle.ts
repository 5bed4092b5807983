// Failed logins, counted per account and per client address (in memory, per server process).
// - An account with `perAccount` failures within `accountMs` is locked for `accountMs`: no password is
//   checked for it then, not even the right one (guessing one account from many addresses stops).
// - An address with `perAddress` failures within `addressMs` is held for the rest of that window: its
//   wrong passwords get 429 instead of 401, but a right password still logs in, so one person's typos
//   do not lock out a whole county office behind one address.
// Both answers say when to retry (Retry-After).

export interface LoginThrottleOptions {
  perAddress?: number;
  addressMs?: number;
  perAccount?: number;
  accountMs?: number;
}

interface Window {
  failures: number;
  /** When the counting window, or the lock once the limit is reached, ends (ms since the epoch). */
  until: number;
  locked: boolean;
}

/** Entries kept per map: guessing many names or addresses must not fill memory. */
const MAX_TRACKED = 10_000;

class Counter {
  readonly #windows = new Map<string, Window>();
  /** `limit` failures within `ms` hold the key until the window ends or, if later, `lockMs` on. */
  constructor(
    readonly limit: number,
    readonly ms: number,
    readonly lockMs: number,
  ) {}

  /** Milliseconds until `key` may try again (0: not held). */
  heldFor(key: string, now: number): number {
    const w = this.#windows.get(key);
    if (!w || w.until <= now) return 0;
    return w.locked ? w.until - now : 0;
  }

  fail(key: string, now: number): void {
    let w = this.#windows.get(key);
    if (!w || w.until <= now) {
      this.#windows.delete(key);
      if (this.#windows.size >= MAX_TRACKED) this.#evict(now);
      w = { failures: 0, until: now + this.ms, locked: false };
      this.#windows.set(key, w);
    }
    w.failures++;
    if (!w.locked && w.failures >= this.limit) {
      w.locked = true;
      w.until = Math.max(w.until, now + this.lockMs);
    }
  }

  clear(key: string): void {
    const w = this.#windows.get(key);
    if (w && !w.locked) this.#windows.delete(key);
  }

  #evict(now: number): void {
    for (const [k, w] of this.#windows) if (w.until <= now) this.#windows.delete(k);
    // Still full: the oldest windows go first.
    for (const k of this.#windows.keys()) {
      if (this.#windows.size < MAX_TRACKED) break;
      this.#windows.delete(k);
    }
  }
}

export class LoginThrottle {
  readonly #accounts: Counter;
  readonly #addresses: Counter;

  constructor(opts: LoginThrottleOptions = {}) {
    const accountMs = opts.accountMs ?? 15 * 60_000;
    this.#accounts = new Counter(opts.perAccount ?? 5, accountMs, accountMs);
    this.#addresses = new Counter(opts.perAddress ?? 10, opts.addressMs ?? 60_000, 0);
  }

  /** Milliseconds the account stays locked (0: not locked). */
  accountLockedFor(account: string, now = Date.now()): number {
    return this.#accounts.heldFor(account, now);
  }

  /** Milliseconds the address stays held (0: not held). */
  addressHeldFor(address: string, now = Date.now()): number {
    return this.#addresses.heldFor(address, now);
  }

  failed(account: string, address: string, now = Date.now()): void {
    this.#accounts.fail(account, now);
    this.#addresses.fail(address, now);
  }

  /** A correct login forgets the account's earlier failures (the address's stay counted). */
  succeeded(account: string): void {
    this.#accounts.clear(account);
  }
}
