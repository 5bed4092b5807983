// A named lease in the application database: with several server replicas on one warehouse, only the
// holder runs the job (the publisher). A lease ends by itself when its holder dies and stops renewing.
import { stmt, type AppDb } from '../appdb/db.ts';

/** Take or renew `name` for `holder` until now + ttl; false when another holder's lease is still live. */
export function takeLease(db: AppDb, name: string, holder: string, ttlMs: number): boolean {
  const t = Date.now();
  const { changes } = stmt(
    db,
    `INSERT INTO leases (name, holder, until) VALUES (@name, @holder, @until)
     ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until
     WHERE leases.holder = excluded.holder OR leases.until < @now`,
  ).run({ name, holder, until: t + ttlMs, now: t });
  return changes === 1;
}

export function releaseLease(db: AppDb, name: string, holder: string): void {
  stmt(db, 'DELETE FROM leases WHERE name = ? AND holder = ?').run(name, holder);
}
