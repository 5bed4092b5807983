// npm run users -- <command>: manage cockpit accounts and display tokens in the application database
// (APP_DB, default data/app.sqlite). Safe while the server runs: SQLite takes turns between writers,
// and the server reads users, sessions and tokens on every request, so changes apply at once.
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { defaultAppDb, referenceDir } from '../../core/paths.ts';
import { audit, recentAudit } from '../appdb/audit.ts';
import { openAppDb, ROLES, type Role } from '../appdb/db.ts';
import { passwordProblem } from '../appdb/passwords.ts';
import { createToken, listTokens, revokeToken } from '../appdb/tokens.ts';
import { addUser, findUser, listUsers, setDisabled, setPassword } from '../appdb/users.ts';
import { normaliseUsername, usernameProblem } from '../appdb/usernames.ts';

const USAGE = `usage: npm run users -- <command> [options]   (APP_DB=${process.env.APP_DB ?? 'data/app.sqlite'})
  add --username U --password P --role ${ROLES.join('|')} [--county CODE]
  passwd --username U --password P        set a new password (ends the user's sessions)
  disable --username U | enable --username U
  list                                    accounts
  token create --name NAME [--days N]     a display token for a wall screen (shown once), ending after N days
  token list
  token revoke ID|NAME
  audit [--limit N]                       the newest audit log entries`;

class UsageError extends Error {}

function countyCodes(): Set<string> {
  const csv = readFileSync(path.join(referenceDir, 'guangxi-counties.csv'), 'utf8');
  return new Set(csv.split('\n').slice(1).map((l) => l.split(',')[0]).filter(Boolean));
}

/** --days N: a whole number of days from now, 1 to 3650. */
function expiryAfterDays(days: string): Date {
  const n = Number(days);
  if (!/^\d+$/.test(days) || n < 1 || n > 3650) throw new UsageError('--days must be a whole number of days from 1 to 3650');
  return new Date(Date.now() + n * 86_400_000);
}

/** parseArgs, its complaints (an unknown option, a value starting with '-') as usage errors. */
function parseUsage<T extends ParseArgsConfig>(config: T) {
  try {
    return parseArgs(config);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function table(rows: Record<string, unknown>[]): string {
  if (rows.length === 0) return '(none)';
  const cols = Object.keys(rows[0]);
  const cell = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(width[i])).join('  ').trimEnd();
  return [line(cols), ...rows.map((r) => line(cols.map((c) => cell(r[c]))))].join('\n');
}

export async function main(argv: string[], out: (s: string) => void = console.log): Promise<void> {
  const { values, positionals } = parseUsage({
    args: argv,
    allowPositionals: true,
    options: {
      username: { type: 'string' },
      password: { type: 'string' },
      role: { type: 'string' },
      county: { type: 'string' },
      name: { type: 'string' },
      limit: { type: 'string' },
      days: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, sub, arg] = positionals;
  if (!command || values.help) throw new UsageError('');
  const need = (k: 'username' | 'password' | 'role' | 'name') => {
    const v = values[k];
    if (!v) throw new UsageError(`--${k} is required`);
    return v;
  };
  const db = openAppDb(defaultAppDb);
  const actor = `cli:${userInfo().username}`;
  try {
    switch (command) {
      case 'add': {
        const username = normaliseUsername(need('username'));
        const nameProblem = usernameProblem(username);
        if (nameProblem) throw new UsageError(`--username ${need('username')}: ${nameProblem}`);
        const password = need('password');
        const role = need('role') as Role;
        if (!ROLES.includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
        if (role === 'county' && !values.county) throw new UsageError('a county user needs --county CODE');
        if (role !== 'county' && values.county) throw new UsageError('--county is only for role county');
        if (values.county && !countyCodes().has(values.county)) {
          throw new UsageError(`--county ${values.county} is not one of the 111 county codes (fixtures/reference/guangxi-counties.csv)`);
        }
        const problem = passwordProblem(password);
        if (problem) throw new UsageError(problem);
        if (findUser(db, username)) throw new UsageError(`user ${username} already exists (use passwd to change the password)`);
        const user = await addUser(db, { username, password, role, county_code: values.county });
        audit(db, { actor, action: 'user_add', target: username, detail: { role, county_code: user.county_code } });
        out(`added ${role} ${username}${user.county_code ? ` (county ${user.county_code})` : ''}`);
        return;
      }
      case 'passwd': {
        const username = need('username');
        const password = need('password');
        const problem = passwordProblem(password);
        if (problem) throw new UsageError(problem);
        if (!(await setPassword(db, username, password))) throw new UsageError(`no user ${username}`);
        audit(db, { actor, action: 'user_passwd', target: username });
        out(`password of ${username} changed; their sessions ended`);
        return;
      }
      case 'disable':
      case 'enable': {
        const username = need('username');
        if (!setDisabled(db, username, command === 'disable')) throw new UsageError(`no user ${username}`);
        audit(db, { actor, action: command === 'disable' ? 'user_disable' : 'user_enable', target: username });
        out(`${username} ${command}d`);
        return;
      }
      case 'list':
        out(table(listUsers(db).map(({ id: _, ...u }) => u)));
        return;
      case 'token': {
        if (sub === 'create') {
          const name = values.name ?? arg;
          if (!name) throw new UsageError('token create needs --name NAME');
          const expires = values.days === undefined ? null : expiryAfterDays(values.days);
          const { id, token } = createToken(db, name, actor, expires);
          audit(db, { actor, action: 'token_create', target: name, detail: { id, expires_at: expires?.toISOString() ?? null } });
          const until = expires ? `valid until ${expires.toISOString()}` : 'valid until revoked';
          out(`display token ${id} (${name}), ${until}: ${token}\nshown once; the wall URL is http://HOST:PORT/wall?token=${token}`);
          return;
        }
        if (sub === 'list') {
          out(table(listTokens(db) as unknown as Record<string, unknown>[]));
          return;
        }
        if (sub === 'revoke') {
          const which = arg ?? values.name;
          if (!which) throw new UsageError('token revoke needs an id or a name');
          const n = revokeToken(db, which);
          if (n === 0) throw new UsageError(`no live token with id or name ${which}`);
          audit(db, { actor, action: 'token_revoke', target: which, detail: { revoked: n } });
          out(`revoked ${n} token(s)`);
          return;
        }
        throw new UsageError('token create|list|revoke');
      }
      case 'audit':
        out(table(recentAudit(db, Number(values.limit ?? 50)) as unknown as Record<string, unknown>[]));
        return;
      default:
        throw new UsageError(`unknown command ${command}`);
    }
  } finally {
    db.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    await main(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    if (e.message) console.error(`error: ${e.message}\n`);
    console.error(USAGE);
    process.exit(2);
  }
}
