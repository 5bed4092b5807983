// Demo accounts created on the first start of an empty application database, one per role (two county
// users in the same city, to show that a county never sees its neighbour). Documented in the README;
// change or disable them with the users CLI before real use.
import { getSetting, keepSetting, setSetting, stmt, type AppDb, type Role } from './db.ts';
import { createToken, findLiveToken } from './tokens.ts';
import { hashPassword } from './passwords.ts';
import { checkCredentials, findUser, insertUser } from './users.ts';

export interface DemoAccount {
  username: string;
  password: string;
  role: Role;
  county_code?: string;
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { username: 'leader', password: 'leader-demo', role: 'leader' },
  { username: 'analyst', password: 'analyst-demo', role: 'analyst' },
  { username: 'county-450102', password: 'county-demo', role: 'county', county_code: '450102' },
  { username: 'county-450103', password: 'county-demo', role: 'county', county_code: '450103' },
  { username: 'admin', password: 'admin-demo', role: 'admin' },
  { username: 'reviewer', password: 'reviewer-demo', role: 'reviewer' },
];

const DEMO_TOKEN_KEY = 'demo_display_token';
/** The demo usernames a demo database has been given (absent: the five it was first seeded with). */
const DEMO_SEEDED_KEY = 'demo_accounts_seeded';
const FIRST_DEMO = ['leader', 'analyst', 'county-450102', 'county-450103', 'admin'];

const hasUsers = (db: AppDb) => (stmt(db, 'SELECT count(*) AS n FROM users').get() as { n: number }).n > 0;

/**
 * Seed the demo accounts and a display token when the database has no users yet. Replicas started
 * together on a new database race here: the passwords are hashed first (slow, async), then one
 * immediate transaction checks again and inserts, so exactly one of them seeds.
 */
export async function seedDemo(db: AppDb): Promise<boolean> {
  if (hasUsers(db)) {
    await seedLaterDemoAccounts(db);
    return false;
  }
  const hashes = await Promise.all(DEMO_ACCOUNTS.map((a) => hashPassword(a.password)));
  return db
    .transaction(() => {
      if (hasUsers(db)) return false;
      DEMO_ACCOUNTS.forEach((a, i) => insertUser(db, a, hashes[i]));
      const { token } = createToken(db, 'demo-wall', 'seed');
      // Kept in clear (demo only) so that every start can print the wall URL; revoking it hides it.
      keepSetting(db, DEMO_TOKEN_KEY, token);
      setSetting(db, DEMO_SEEDED_KEY, JSON.stringify(DEMO_ACCOUNTS.map((a) => a.username)));
      return true;
    })
    .immediate();
}

/** A demo database made before a demo account joined the list (the reviewer) gets it once; a name
 * given once is not given again, so a demo account removed by hand stays removed. */
async function seedLaterDemoAccounts(db: AppDb): Promise<void> {
  if (!getSetting(db, DEMO_TOKEN_KEY)) return; // not a demo database
  const seeded = () => new Set<string>(JSON.parse(getSetting(db, DEMO_SEEDED_KEY) ?? JSON.stringify(FIRST_DEMO)));
  const later = DEMO_ACCOUNTS.filter((a) => !seeded().has(a.username));
  if (later.length === 0) return;
  const hashes = await Promise.all(later.map((a) => hashPassword(a.password)));
  db.transaction(() => {
    const given = seeded();
    later.forEach((a, i) => {
      if (!given.has(a.username) && !findUser(db, a.username)) insertUser(db, a, hashes[i]);
      given.add(a.username);
    });
    setSetting(db, DEMO_SEEDED_KEY, JSON.stringify([...given]));
  }).immediate();
}

/** The demo accounts whose demo password still works, and the demo token if not revoked. */
export async function liveDemoCredentials(db: AppDb): Promise<{ accounts: DemoAccount[]; displayToken: string | null }> {
  const accounts: DemoAccount[] = [];
  for (const a of DEMO_ACCOUNTS) if (await checkCredentials(db, a.username, a.password)) accounts.push(a);
  const token = getSetting(db, DEMO_TOKEN_KEY) ?? null;
  return { accounts, displayToken: token && findLiveToken(db, token) ? token : null };
}
