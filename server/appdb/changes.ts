// A marker that changes whenever the application database does, whoever wrote it. This connection's
// own writes show in total_changes() (no I/O: read on every call); other processes' commits (the
// users CLI, another replica) in PRAGMA data_version, which reads the WAL index and costs about as
// much as the session lookup it saves, so it is read at most every `otherEveryMs`.
import type { AppDb } from './db.ts';

export function changeMarker(db: AppDb, otherEveryMs = 100): () => string {
  const own = db.prepare('SELECT total_changes()').pluck();
  const other = db.prepare('PRAGMA data_version').pluck();
  let otherVersion: unknown;
  let checkedAt = -Infinity;
  return () => {
    const now = performance.now();
    if (now - checkedAt >= otherEveryMs) {
      otherVersion = other.get();
      checkedAt = now;
    }
    return `${otherVersion}.${own.get()}`;
  };
}
