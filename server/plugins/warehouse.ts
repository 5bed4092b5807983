// The warehouse snapshot, opened read-only, switched without a restart when the ETL publishes a new
// file by rename onto the live path. Each request pins the snapshot that was live when it arrived and
// uses it to the end (its ETag names that snapshot); a replaced snapshot is closed once no request
// holds it any more, which also frees the old file's disk space.
// Only a snapshot built by this release's warehouse code is served (snapshot_info.code_version, see
// core/warehouse-code.ts): one built by other code would fail query by query. It is refused with a
// logged error naming the rebuild command; the server keeps serving the snapshot it has (a replica one
// release behind keeps its last snapshot during a rolling upgrade), and with none it answers 503 and
// /api/health says why.
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Kysely } from 'kysely';
import { DuckDbDialect } from 'kysely-duckdb';
import { REBUILD_COMMAND, warehouseCodeVersion } from '../../core/warehouse-code.ts';
import { snapshotInfo, type SnapshotInfo } from '../queries/meta.ts';
import type { Warehouse, WarehouseDb } from '../queries/warehouse.ts';
import { ApiError } from './errors.ts';

/** A snapshot stamped by other warehouse code than this server's. */
class OtherCodeError extends Error {
  constructor(
    readonly builtBy: string | null,
    readonly serves: string,
  ) {
    super(`the warehouse snapshot was built by other warehouse code (${builtBy ?? 'unversioned'}, this server needs ${serves}): run \`${REBUILD_COMMAND}\``);
  }
}

export interface Snapshot {
  /** Short hash of the file's identity and build time: part of every ETag. */
  readonly id: string;
  readonly openedAt: string;
  readonly info: SnapshotInfo;
  readonly db: WarehouseDb;
  /** How it was switched in (seconds): opening the file and reading its info, then warming it (the
   * publisher reports both; `startedAt` is performance.now() when the opening began). */
  readonly opening: { startedAt: number; open: number; warm: number };
}

class OpenSnapshot implements Snapshot {
  refs = 0;
  retired = false;
  constructor(
    readonly id: string,
    readonly identity: string,
    readonly openedAt: string,
    readonly info: SnapshotInfo,
    readonly db: WarehouseDb,
    readonly opening: { startedAt: number; open: number; warm: number },
  ) {}
}

/**
 * A hold on a snapshot until `lease.release()` (a method: call it on the lease, not detached). A class,
 * not a closure per request: this is on every request's path.
 */
class Lease {
  #released = false;
  constructor(
    readonly snapshot: OpenSnapshot,
    private readonly unref: (s: OpenSnapshot) => void,
  ) {}

  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.unref(this.snapshot);
  }
}

export interface SnapshotOptions {
  /** How often to stat the live path in case a watch event was missed (ms). */
  pollMs?: number;
  /** How long a replaced snapshot stays open after its last request (ms): covers queries still running
   * for clients that hung up, whose responses released their hold early. */
  graceMs?: number;
  /** Run on a newly opened snapshot before it goes live (read its hot tables); a failure is logged, not fatal. */
  warm?: (db: WarehouseDb, info: SnapshotInfo) => Promise<void>;
  log?: FastifyBaseLogger;
}

const identityOf = (s: { dev: number; ino: number; size: number; mtimeMs: number }) => `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}`;

export class SnapshotManager {
  #current: OpenSnapshot | null = null;
  #checking: Promise<void> | null = null;
  #again = false;
  #failedIdentity: string | null = null;
  #refused: string | null = null;
  #watcher: FSWatcher | null = null;
  #timer: NodeJS.Timeout | null = null;
  #replaced = new Set<OpenSnapshot>();
  #closing = new Map<OpenSnapshot, NodeJS.Timeout>();
  #switchListeners: ((s: Snapshot) => void)[] = [];
  readonly pollMs: number;
  readonly graceMs: number;

  constructor(
    readonly file: string,
    private readonly opts: SnapshotOptions = {},
  ) {
    this.pollMs = opts.pollMs ?? 2000;
    this.graceMs = opts.graceMs ?? 10_000;
  }

  get current(): Snapshot | null {
    return this.#current;
  }

  /** Why the live file is not served, when it was built by other warehouse code (else null). */
  get refused(): string | null {
    return this.#refused;
  }

  onSwitch(listener: (s: Snapshot) => void): void {
    this.#switchListeners.push(listener);
  }

  async start(): Promise<void> {
    await this.check();
    const dir = path.dirname(this.file);
    const base = path.basename(this.file);
    try {
      this.#watcher = watch(dir, (_event, name) => {
        if (name === null || name === base) void this.check();
      });
      this.#watcher.on('error', () => {}); // the poll still covers us
    } catch {
      // The directory does not exist yet: the poll finds the first snapshot.
    }
    this.#timer = setInterval(() => void this.check(), this.pollMs);
    this.#timer.unref();
  }

  /** Look at the live path and switch if it holds a different file. Concurrent calls coalesce. */
  check(): Promise<void> {
    if (this.#checking) {
      this.#again = true;
      return this.#checking;
    }
    this.#checking = (async () => {
      do {
        this.#again = false;
        await this.#checkOnce();
      } while (this.#again);
    })().finally(() => (this.#checking = null));
    return this.#checking;
  }

  async #checkOnce(): Promise<void> {
    const before = await stat(this.file).catch(() => null);
    if (!before) return; // never published yet, or removed by hand: keep what we serve
    const identity = identityOf(before);
    if (identity === this.#current?.identity || identity === this.#failedIdentity) return;
    let next: OpenSnapshot;
    try {
      next = await this.#open(identity);
    } catch (err) {
      this.#failedIdentity = identity;
      if (err instanceof OtherCodeError) {
        this.#refused = err.message;
        this.opts.log?.error({ file: this.file, built_by: err.builtBy, serves: err.serves }, `${err.message}; ${this.#current ? 'still serving the previous snapshot' : 'serving none'}`);
      } else this.opts.log?.error({ err, file: this.file }, 'cannot open the warehouse snapshot; still serving the previous one');
      return;
    }
    const after = await stat(this.file).catch(() => null);
    if (!after || identityOf(after) !== identity) {
      // Replaced again while we opened it: what we opened may be either file. Try again.
      await next.db.destroy();
      this.#again = true;
      return;
    }
    const previous = this.#current;
    this.#current = next;
    this.#failedIdentity = null;
    this.#refused = null;
    this.opts.log?.info({ snapshot: next.id, built_at: next.info.built_at }, 'serving warehouse snapshot');
    for (const l of this.#switchListeners) l(next);
    if (previous) this.#retire(previous);
  }

  async #open(identity: string): Promise<OpenSnapshot> {
    const startedAt = performance.now();
    const instance = await DuckDBInstance.create(this.file, { access_mode: 'READ_ONLY' });
    const db = new Kysely<Warehouse>({ dialect: new DuckDbDialect({ database: instance, tableMappings: {} }) });
    try {
      const info = await snapshotInfo(db);
      const serves = await warehouseCodeVersion();
      if (info.code_version !== serves) throw new OtherCodeError(info.code_version, serves);
      const started = performance.now();
      if (this.opts.warm) {
        await this.opts.warm(db, info).then(
          () => this.opts.log?.debug({ ms: Math.round(performance.now() - started) }, 'warmed the new snapshot'),
          (err) => this.opts.log?.warn({ err }, 'warming the new snapshot failed; serving it cold'),
        );
      }
      const opening = { startedAt, open: (started - startedAt) / 1000, warm: (performance.now() - started) / 1000 };
      const id = createHash('sha256').update(`${identity}|${info.built_at}`).digest('hex').slice(0, 12);
      return new OpenSnapshot(id, identity, new Date().toISOString(), info, db, opening);
    } catch (err) {
      await db.destroy();
      throw err;
    }
  }

  /** Pin the live snapshot for one request; call the returned release exactly once when done. */
  acquire(): Lease {
    const s = this.#current;
    if (!s) throw new ApiError(503, 'warehouse_unavailable', this.#refused ?? 'the warehouse has not been built yet: run `npm run etl -- load`');
    s.refs++;
    return new Lease(s, this.#unref);
  }

  /** A lease ended: a replaced snapshot closes (after the grace period) when its last lease does. */
  readonly #unref = (s: OpenSnapshot): void => {
    s.refs--;
    if (s.retired && s.refs === 0) this.#closeLater(s);
  };

  #retire(s: OpenSnapshot): void {
    s.retired = true;
    this.#replaced.add(s);
    if (s.refs === 0) this.#closeLater(s);
  }

  #closeLater(s: OpenSnapshot): void {
    const timer = setTimeout(() => this.#closeNow(s), this.graceMs);
    timer.unref();
    this.#closing.set(s, timer);
  }

  #closeNow(s: OpenSnapshot): Promise<void> {
    clearTimeout(this.#closing.get(s));
    this.#closing.delete(s);
    this.#replaced.delete(s);
    return s.db.destroy().catch((err) => this.opts.log?.error({ err }, 'closing a replaced snapshot failed'));
  }

  /** How many replaced snapshots are still open (held by requests or within the grace period). */
  get replacedStillOpen(): number {
    return this.#replaced.size;
  }

  async close(): Promise<void> {
    this.#watcher?.close();
    if (this.#timer) clearInterval(this.#timer);
    await this.#checking;
    const current = this.#current;
    this.#current = null;
    await current?.db.destroy();
    // On shutdown nobody waits for stragglers: close replaced snapshots even if still held.
    await Promise.all([...this.#replaced].map((s) => this.#closeNow(s)));
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    warehouse: SnapshotManager;
  }
  interface FastifyRequest {
    /** The snapshot this request reads: pinned on first use, released when the response closes. */
    snapshot(): Snapshot;
  }
}

const kLease = Symbol('warehouse lease');
const kResponse = Symbol('warehouse response');
const kRequest = Symbol('warehouse request');
type Leased = { [kLease]: Lease | null; [kResponse]: ServerResponse | null };

/** The response's 'close' listener: one function for all responses, finding the request on the response. */
function releaseOnClose(this: { [kRequest]?: Leased }) {
  this[kRequest]?.[kLease]?.release();
}

export default fp<{ file: string } & SnapshotOptions>(
  async (app, opts) => {
    const manager = new SnapshotManager(opts.file, { ...opts, log: opts.log ?? app.log });
    await manager.start();
    app.decorate('warehouse', manager);
    app.decorateRequest(kLease, null);
    app.decorateRequest(kResponse, null);
    // The lease is released when the response closes: 'close' fires on every response, finished or
    // aborted (onResponse alone misses hang-ups). The listener is added with the lease, so a request
    // that reads no snapshot (a cached answer, a login) adds none.
    app.decorateRequest('snapshot', function (this: FastifyRequest) {
      const leased = this as unknown as Leased;
      if (leased[kLease]) return leased[kLease].snapshot;
      const lease = (leased[kLease] = manager.acquire());
      const res = leased[kResponse];
      if (!res || res.closed) lease.release(); // the client is gone: the grace period covers what still runs
      else {
        (res as { [kRequest]?: Leased })[kRequest] = leased;
        res.on('close', releaseOnClose);
      }
      return lease.snapshot;
    });
    app.addHook('onRequest', (request, reply, done) => {
      (request as unknown as Leased)[kResponse] = reply.raw;
      done();
    });
    app.addHook('onClose', () => manager.close());
  },
  { name: 'warehouse', dependencies: ['errors'] },
);
