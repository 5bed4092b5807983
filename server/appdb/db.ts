// The application database: users, sessions, display tokens, the audit log and a few settings.
// SQLite (better-sqlite3) because the server and the `users` CLI both write it while the server
// runs; the warehouse stays an immutable DuckDB snapshot. WAL mode lets readers and one writer overlap,
// busy_timeout makes a second writer wait instead of failing.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type AppDb = Database.Database;

/** reviewer (数据审核员): province-level, approves or returns the counties' submissions. */
export const ROLES = ['leader', 'analyst', 'county', 'display', 'admin', 'reviewer'] as const;
export type Role = (typeof ROLES)[number];

/** Each entry upgrades the schema by one version (PRAGMA user_version); never edit a shipped entry. */
export const MIGRATIONS = [
  `CREATE TABLE users (
     id            INTEGER PRIMARY KEY,
     username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
     password_hash TEXT NOT NULL,
     role          TEXT NOT NULL CHECK (role IN ('leader', 'analyst', 'county', 'display', 'admin')),
     county_code   TEXT CHECK ((role = 'county') = (county_code IS NOT NULL)),
     disabled      INTEGER NOT NULL DEFAULT 0,
     created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
   );
   -- Only a hash of the session id is stored: a copied database does not hand out live sessions.
   CREATE TABLE sessions (
     id_hash    TEXT PRIMARY KEY,
     user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
     created_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL
   );
   CREATE INDEX sessions_user ON sessions (user_id);
   CREATE TABLE display_tokens (
     id           INTEGER PRIMARY KEY,
     name         TEXT NOT NULL,
     token_hash   TEXT NOT NULL UNIQUE,
     created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
     created_by   TEXT,
     revoked_at   TEXT,
     last_used_at TEXT
   );
   CREATE TABLE audit_log (
     id     INTEGER PRIMARY KEY,
     at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
     actor  TEXT,
     action TEXT NOT NULL,
     target TEXT,
     detail TEXT,
     ip     TEXT
   );
   CREATE INDEX audit_log_at ON audit_log (at);
   CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
  // A display token may end by itself (a screen lent for an event), not only when revoked.
  `ALTER TABLE display_tokens ADD COLUMN expires_at TEXT;`,
  // County reporting: the reviewer role (SQLite cannot change a CHECK, so users is rebuilt, foreign
  // keys off: see openAppDb), the submissions with their status history, and the publisher's lease.
  `CREATE TABLE users_next (
     id            INTEGER PRIMARY KEY,
     username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
     password_hash TEXT NOT NULL,
     role          TEXT NOT NULL CHECK (role IN ('leader', 'analyst', 'county', 'display', 'admin', 'reviewer')),
     county_code   TEXT CHECK ((role = 'county') = (county_code IS NOT NULL)),
     disabled      INTEGER NOT NULL DEFAULT 0,
     created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
   );
   INSERT INTO users_next SELECT id, username, password_hash, role, county_code, disabled, created_at FROM users;
   DROP TABLE users;
   ALTER TABLE users_next RENAME TO users;
   -- One uploaded file of one county for one stream and reporting period. AUTOINCREMENT: an id is
   -- never reused, so the original kept under data/uploads/<id>.<ext> is never overwritten.
   CREATE TABLE submissions (
     id                 INTEGER PRIMARY KEY AUTOINCREMENT,
     county_code        TEXT NOT NULL,
     stream             TEXT NOT NULL,
     period             TEXT NOT NULL,
     months             TEXT NOT NULL,           -- JSON list of the months (YYYY-MM) the rows touch
     status             TEXT NOT NULL CHECK (status IN ('validated', 'submitted', 'returned', 'approved', 'published', 'discarded', 'replaced')),
     file_name          TEXT NOT NULL,           -- the original, under the uploads directory
     sha256             TEXT NOT NULL,
     size               INTEGER NOT NULL,
     original_name      TEXT NOT NULL,
     uploader           TEXT NOT NULL,
     uploaded_at        TEXT NOT NULL,
     rows_read          INTEGER NOT NULL,
     accepted           INTEGER NOT NULL,
     rejected           INTEGER NOT NULL,
     rejects            TEXT NOT NULL,           -- JSON list of the first rejects; all are in <id>.rejects.csv
     submitted_at       TEXT,
     first_submitted_at TEXT,                    -- the first submission for county, stream and period: lateness
     reviewer           TEXT,
     reviewed_at        TEXT,
     return_reason      TEXT,
     published_at       TEXT,
     snapshot_id        TEXT,
     attempts           INTEGER NOT NULL DEFAULT 0,
     last_error         TEXT
   );
   CREATE INDEX submissions_cell ON submissions (period, county_code, stream);
   CREATE INDEX submissions_status ON submissions (status);
   CREATE TABLE submission_events (
     id            INTEGER PRIMARY KEY,
     submission_id INTEGER NOT NULL REFERENCES submissions (id),
     at            TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
     actor         TEXT NOT NULL,
     status        TEXT NOT NULL,
     note          TEXT
   );
   CREATE INDEX submission_events_of ON submission_events (submission_id);
   -- Who may run a job that only one replica may run at a time, until when (ms since the epoch).
   CREATE TABLE leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, until INTEGER NOT NULL);`,
  // What a submission would change (the ETL worker's preview, JSON), kept once computed: its file never changes.
  `CREATE TABLE submission_previews (
     submission_id INTEGER PRIMARY KEY REFERENCES submissions (id),
     computed_at   TEXT NOT NULL,
     preview       TEXT NOT NULL
   );`,
  // Subscriptions (issue 13): a report sent on a cron schedule (Asia/Shanghai) to a channel. Each due
  // time or "send now" is one run, sent once: a replica claims a run (claimed_by, claimed_until: a
  // lease on that run) before sending it. Every attempt is logged in subscription_deliveries; alert
  // pushes remember what they sent in subscription_pushed, so an alert goes out once per period.
  `CREATE TABLE subscriptions (
     id             INTEGER PRIMARY KEY AUTOINCREMENT,
     report         TEXT NOT NULL CHECK (report IN ('briefing', 'rankings', 'scorecard', 'mediation', 'alerts')),
     params         TEXT NOT NULL,            -- JSON, checked by the route
     schedule       TEXT NOT NULL,            -- cron, Asia/Shanghai
     channel_kind   TEXT NOT NULL CHECK (channel_kind IN ('email', 'dingtalk', 'wecom', 'feishu', 'webhook')),
     channel_to     TEXT,                     -- email: the addresses
     channel_url    TEXT,                     -- robots and webhook; never sent back in full
     channel_secret TEXT,                     -- signing secret; never sent back
     created_by     TEXT NOT NULL,
     created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
     next_run_at    INTEGER NOT NULL,         -- ms since the epoch: the next scheduled time
     deleted_at     TEXT
   );
   CREATE TABLE subscription_runs (
     id              INTEGER PRIMARY KEY,
     subscription_id INTEGER NOT NULL REFERENCES subscriptions (id),
     due_at          INTEGER NOT NULL,        -- the scheduled time (or the moment of "send now"), ms
     trigger         TEXT NOT NULL CHECK (trigger IN ('schedule', 'manual')),
     requested_by    TEXT,
     status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'quiet', 'failed')),
     attempts        INTEGER NOT NULL DEFAULT 0,
     next_attempt_at INTEGER NOT NULL,
     claimed_by      TEXT,
     claimed_until   INTEGER,
     finished_at     TEXT,
     UNIQUE (subscription_id, due_at, trigger)
   );
   CREATE INDEX subscription_runs_pending ON subscription_runs (status, next_attempt_at);
   CREATE TABLE subscription_deliveries (
     id      INTEGER PRIMARY KEY,
     run_id  INTEGER NOT NULL REFERENCES subscription_runs (id),
     at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
     holder  TEXT NOT NULL,                   -- which replica sent it
     outcome TEXT NOT NULL CHECK (outcome IN ('sent', 'quiet', 'failed')),
     error   TEXT,
     detail  TEXT                             -- JSON: file name and size, items pushed
   );
   CREATE INDEX subscription_deliveries_run ON subscription_deliveries (run_id);
   CREATE TABLE subscription_pushed (
     subscription_id INTEGER NOT NULL REFERENCES subscriptions (id),
     item            TEXT NOT NULL,           -- alert:<period>:<unit>:<indicator>:<kind> or overdue:<month>:<county>:<stream>
     run_id          INTEGER NOT NULL REFERENCES subscription_runs (id),
     PRIMARY KEY (subscription_id, item)
   );`,
];

export function openAppDb(file: string): AppDb {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('busy_timeout = 5000'); // first: another process may be creating the same file
  db.pragma('journal_mode = WAL');
  // Foreign keys are off while migrating (better-sqlite3 turns them on by default): a migration that
  // rebuilds a table drops the old one, which would otherwise cascade to the rows that refer to it
  // (the sessions of users).
  db.pragma('foreign_keys = OFF');
  migrate(db);
  db.pragma('foreign_keys = ON');
  return db;
}

/** Each step reads the version inside its write transaction: replicas starting together on a new
 * database take turns, and the second finds the work done. */
function migrate(db: AppDb): void {
  const version = () => db.pragma('user_version', { simple: true }) as number;
  while (version() < MIGRATIONS.length) {
    db.transaction(() => {
      const v = version();
      if (v >= MIGRATIONS.length) return;
      db.exec(MIGRATIONS[v]);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}

const statements = new WeakMap<AppDb, Map<string, Database.Statement>>();

/** A prepared statement, prepared once per database: preparing costs more than running a lookup. */
export function stmt(db: AppDb, sql: string): Database.Statement {
  let byDb = statements.get(db);
  if (!byDb) statements.set(db, (byDb = new Map()));
  let s = byDb.get(sql);
  if (!s) byDb.set(sql, (s = db.prepare(sql)));
  return s;
}

export function getSetting(db: AppDb, key: string): string | undefined {
  const row = stmt(db, 'SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value;
}

/** Store `value` unless the key already has one; returns the stored value (first writer wins). */
export function keepSetting(db: AppDb, key: string, value: string): string {
  stmt(db, 'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING').run(key, value);
  return getSetting(db, key)!;
}

export function setSetting(db: AppDb, key: string, value: string): void {
  stmt(db, 'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}
