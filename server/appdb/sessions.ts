// Server-side sessions: the cookie carries a random id, the table holds its SHA-256 and the expiry.
import { createHash, randomBytes } from 'node:crypto';
import type { AppDb } from './db.ts';

export const sha256 = (s: string) => createHash('sha256').update(s).digest('base64url');

export function createSession(db: AppDb, userId: number, ttlMs: number, now = Date.now()): string {
  const id = randomBytes(32).toString('base64url');
  db.prepare('INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)').run(
    sha256(id),
    userId,
    now,
    now + ttlMs,
  );
  // Expired rows are only garbage; removing them on login keeps the table small without a timer.
  db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now);
  return id;
}

/** The user id of a live session, or undefined when unknown or expired. */
export function sessionUser(db: AppDb, id: string, now = Date.now()): number | undefined {
  const row = db.prepare('SELECT user_id FROM sessions WHERE id_hash = ? AND expires_at > ?').get(sha256(id), now) as
    | { user_id: number }
    | undefined;
  return row?.user_id;
}

export function deleteSession(db: AppDb, id: string): void {
  db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(sha256(id));
}
