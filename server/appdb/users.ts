// Users of the cockpit. A county user is bound to exactly one county code (the table enforces it).
import { stmt, type AppDb, type Role } from './db.ts';
import { DUMMY_HASH, hashPassword, verifyPassword } from './passwords.ts';
import { normaliseUsername, usernameProblem } from './usernames.ts';

export interface User {
  id: number;
  username: string;
  role: Role;
  county_code: string | null;
  disabled: boolean;
  created_at: string;
}

export interface UserRow extends Omit<User, 'disabled'> {
  disabled: number;
  password_hash: string;
}

export const toUser = ({ password_hash: _, disabled, ...row }: UserRow): User => ({ ...row, disabled: disabled === 1 });

export function findUser(db: AppDb, username: string): User | undefined {
  const row = stmt(db, 'SELECT * FROM users WHERE username = ?').get(normaliseUsername(username)) as UserRow | undefined;
  return row && toUser(row);
}

export function getUser(db: AppDb, id: number): User | undefined {
  const row = stmt(db, 'SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
  return row && toUser(row);
}

export function listUsers(db: AppDb): User[] {
  return (stmt(db, 'SELECT * FROM users ORDER BY role, username').all() as UserRow[]).map(toUser);
}

export interface NewUser {
  username: string;
  role: Role;
  county_code?: string | null;
}

export async function addUser(db: AppDb, u: NewUser & { password: string }): Promise<User> {
  return insertUser(db, u, await hashPassword(u.password));
}

/** Insert with a password hash made beforehand: synchronous, so it can run inside a transaction. */
export function insertUser(db: AppDb, u: NewUser, passwordHash: string): User {
  const username = normaliseUsername(u.username);
  const problem = usernameProblem(username);
  if (problem) throw new Error(`${u.username}: ${problem}`);
  const insert = stmt(db, 'INSERT INTO users (username, password_hash, role, county_code) VALUES (?, ?, ?, ?)');
  const { lastInsertRowid } = insert.run(username, passwordHash, u.role, u.role === 'county' ? u.county_code : null);
  return getUser(db, Number(lastInsertRowid))!;
}

/** A new password ends every session of the user. */
export async function setPassword(db: AppDb, username: string, password: string): Promise<boolean> {
  const hash = await hashPassword(password);
  return db.transaction(() => {
    const user = findUser(db, username);
    if (!user) return false;
    stmt(db, 'UPDATE users SET password_hash = ? WHERE id = ?').run(hash, user.id);
    stmt(db, 'DELETE FROM sessions WHERE user_id = ?').run(user.id);
    return true;
  })();
}

/** Disabling ends every session of the user. */
export function setDisabled(db: AppDb, username: string, disabled: boolean): boolean {
  return db.transaction(() => {
    const user = findUser(db, username);
    if (!user) return false;
    stmt(db, 'UPDATE users SET disabled = ? WHERE id = ?').run(disabled ? 1 : 0, user.id);
    if (disabled) stmt(db, 'DELETE FROM sessions WHERE user_id = ?').run(user.id);
    return true;
  })();
}

/** The user if the password is right and the account enabled; the same work is done either way. */
export async function checkCredentials(db: AppDb, username: string, password: string): Promise<User | null> {
  const name = normaliseUsername(username);
  const row = usernameProblem(name) ? undefined : (stmt(db, 'SELECT * FROM users WHERE username = ?').get(name) as UserRow | undefined);
  const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
  return ok && row && !row.disabled ? toUser(row) : null;
}
