// Display tokens: long random strings for wall screens (role display), revocable, stored hashed, and
// optionally ending at a time set when they are made.
import { randomBytes } from 'node:crypto';
import { stmt, type AppDb } from './db.ts';
import { sha256 } from './sessions.ts';

export interface DisplayToken {
  id: number;
  name: string;
  created_at: string;
  created_by: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
  /** ISO time after which the token is refused; null: until revoked. */
  expires_at: string | null;
}

const COLUMNS = 'id, name, created_at, created_by, revoked_at, last_used_at, expires_at';

/** Returns the token itself: it is shown once and only its hash is kept. */
export function createToken(
  db: AppDb,
  name: string,
  createdBy: string | null,
  expiresAt: Date | null = null,
): { id: number; token: string } {
  const token = `dt_${randomBytes(24).toString('base64url')}`;
  const insert = stmt(db, 'INSERT INTO display_tokens (name, token_hash, created_by, expires_at) VALUES (?, ?, ?, ?)');
  const { lastInsertRowid } = insert.run(name, sha256(token), createdBy, expiresAt?.toISOString() ?? null);
  return { id: Number(lastInsertRowid), token };
}

export function listTokens(db: AppDb): DisplayToken[] {
  return stmt(db, `SELECT ${COLUMNS} FROM display_tokens ORDER BY id`).all() as DisplayToken[];
}

/** Revoke by id or by name; returns how many tokens were revoked. */
export function revokeToken(db: AppDb, idOrName: string): number {
  const revoke = stmt(
    db,
    `UPDATE display_tokens SET revoked_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
     WHERE revoked_at IS NULL AND (CAST(id AS TEXT) = ? OR name = ?)`,
  );
  return revoke.run(idOrName, idOrName).changes;
}

/** The live (not revoked, not expired) token row for a presented token, or undefined. */
export function findLiveToken(db: AppDb, token: string, now = new Date()): DisplayToken | undefined {
  const find = stmt(
    db,
    `SELECT ${COLUMNS} FROM display_tokens
     WHERE token_hash = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)`,
  );
  return find.get(sha256(token), now.toISOString()) as DisplayToken | undefined;
}

/** last_used_at at minute resolution: a wall polling every few seconds must not write on every request. */
export function touchToken(db: AppDb, t: DisplayToken, now = new Date()): void {
  const minute = now.toISOString().slice(0, 16);
  if (t.last_used_at?.slice(0, 16) === minute) return;
  stmt(db, 'UPDATE display_tokens SET last_used_at = ? WHERE id = ?').run(now.toISOString(), t.id);
}
