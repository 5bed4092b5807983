// Has the application database changed since the last look, whoever wrote it? This connection's
// own writes show in total_changes() (no I/O: read on every call); other processes' commits (the
// users CLI, another replica) in PRAGMA data_version, which reads the WAL index and costs about as
// much as the session lookup it saves, so it is read at most every `otherEveryMs`.
import type { AppDb } from './db.ts';

export function changeWatch(db: AppDb, otherEveryMs = 100): () => boolean {
  const own = db.prepare('SELECT total_changes()').pluck();
  const other = db.prepare('PRAGMA data_version').pluck();
  let ownSeen: unknown = own.get();
  let otherSeen: unknown = other.get();
  let checkedAt = performance.now();
  return () => {
    let changed = false;
    const now = performance.now();
    if (now - checkedAt >= otherEveryMs) {
      const v = other.get();
      changed = v !== otherSeen;
      otherSeen = v;
      checkedAt = now;
    }
    const n = own.get();
    if (n !== ownSeen) {
      ownSeen = n;
      changed = true;
    }
    return changed;
  };
}
