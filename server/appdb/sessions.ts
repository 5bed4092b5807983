// Server-side sessions: the cookie carries a random id, the table holds its SHA-256 and the expiry.
import { createHash, randomBytes } from 'node:crypto';
import { stmt, type AppDb } from './db.ts';
import { toUser, type User, type UserRow } from './users.ts';

export const sha256 = (s: string) => createHash('sha256').update(s).digest('base64url');

export function createSession(db: AppDb, userId: number, ttlMs: number, now = Date.now()): string {
  const id = randomBytes(32).toString('base64url');
  stmt(db, 'INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)').run(
    sha256(id),
    userId,
    now,
    now + ttlMs,
  );
  // Expired rows are only garbage; removing them on login keeps the table small without a timer.
  stmt(db, 'DELETE FROM sessions WHERE expires_at <= ?').run(now);
  return id;
}

/** The enabled user holding a live session and when the session ends, in one lookup. */
export function sessionUser(db: AppDb, id: string, now = Date.now()): { user: User; expiresAt: number } | undefined {
  const row = stmt(
    db,
    `SELECT u.*, s.expires_at AS session_expires_at FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.id_hash = ? AND s.expires_at > ? AND u.disabled = 0`,
  ).get(sha256(id), now) as (UserRow & { session_expires_at: number }) | undefined;
  if (!row) return undefined;
  const { session_expires_at: expiresAt, ...user } = row;
  return { user: toUser(user), expiresAt };
}

export function deleteSession(db: AppDb, id: string): void {
  stmt(db, 'DELETE FROM sessions WHERE id_hash = ?').run(sha256(id));
}
