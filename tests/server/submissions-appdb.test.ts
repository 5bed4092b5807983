// The reporting migration on a database made before it: the users table is rebuilt to allow the
// reviewer role, and nothing that refers to users is lost on the way (sessions survive); a demo
// database gets the demo reviewer once.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS, openAppDb } from '../../server/appdb/db.ts';
import { seedDemo } from '../../server/appdb/seed.ts';
import { insertUser } from '../../server/appdb/users.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('the reporting migration', () => {
  it('keeps users and their sessions, allows reviewers, and gives a demo database the demo reviewer', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'uc-migrate-'));
    dirs.push(dir);
    const file = path.join(dir, 'app.sqlite');
    // A database as the release before county reporting left it (schema version 2, a demo database).
    const before = new Database(file);
    before.exec(MIGRATIONS[0]);
    before.exec(MIGRATIONS[1]);
    before.pragma('user_version = 2');
    before.exec(`INSERT INTO users (username, password_hash, role) VALUES ('leader', 'x', 'leader');
                 INSERT INTO sessions VALUES ('h', 1, 0, 9999999999999);
                 INSERT INTO settings VALUES ('demo_display_token', 'dt_x');`);
    before.close();

    const db = openAppDb(file);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      expect(db.prepare('SELECT count(*) AS n FROM sessions').get()).toEqual({ n: 1 });
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('foreign_key_check')).toEqual([]);
      expect(insertUser(db, { username: 'rev', role: 'reviewer' }, 'x').role).toBe('reviewer');

      await seedDemo(db);
      await seedDemo(db); // once only
      expect(db.prepare(`SELECT username FROM users WHERE role = 'reviewer' ORDER BY username`).all()).toEqual([{ username: 'rev' }, { username: 'reviewer' }]);
      db.prepare(`DELETE FROM users WHERE username = 'reviewer'`).run();
      await seedDemo(db); // a demo account removed by hand stays removed
      expect(db.prepare(`SELECT count(*) AS n FROM users WHERE username = 'reviewer'`).get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });
});
