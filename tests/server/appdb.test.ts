// Replicas started together on a new application database: every process migrates and opens it,
// and exactly one of them seeds the demo accounts.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../core/paths.ts';
import { openAppDb } from '../../server/appdb/db.ts';
import { DEMO_ACCOUNTS, seedDemo } from '../../server/appdb/seed.ts';
import { listTokens } from '../../server/appdb/tokens.ts';
import { listUsers } from '../../server/appdb/users.ts';
import { tempDir } from '../helpers/tmp.ts';

describe('a new application database opened by several processes at once', () => {
  it('is migrated once and opened by all of them', async () => {
    const file = path.join(await tempDir(), 'app.sqlite');
    const open = `import { openAppDb } from ${JSON.stringify(path.join(repoRoot, 'server', 'appdb', 'db.ts'))}; openAppDb(${JSON.stringify(file)}).close();`;
    const run = promisify(execFile);
    const started = Array.from({ length: 4 }, () => run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', open], { cwd: repoRoot }));
    await Promise.all(started);
    const alone = openAppDb(path.join(path.dirname(file), 'alone.sqlite'));
    const latest = alone.pragma('user_version', { simple: true });
    alone.close();
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(latest);
      expect(db.prepare(`SELECT name FROM pragma_table_info('display_tokens') WHERE name = 'expires_at'`).all()).toHaveLength(1);
    } finally {
      db.close();
    }
  });

  it('gets the demo accounts from exactly one of two servers seeding it together', async () => {
    const file = path.join(await tempDir(), 'app.sqlite');
    const [a, b] = [openAppDb(file), openAppDb(file)];
    try {
      // Both pass the first "no users yet" check before either has hashed its passwords.
      const seeded = await Promise.all([seedDemo(a), seedDemo(b)]);
      expect(seeded.sort()).toEqual([false, true]);
      expect(listUsers(a).map((u) => u.username).sort()).toEqual(DEMO_ACCOUNTS.map((d) => d.username).sort());
      expect(listTokens(a).map((t) => t.name)).toEqual(['demo-wall']);
    } finally {
      a.close();
      b.close();
    }
  });
});
