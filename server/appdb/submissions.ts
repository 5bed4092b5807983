// County submissions and their status history. The state machine lives here, in one place:
//   validated --submit--> submitted --approve--> approved --publish--> published
//        |                    \--return--> returned --(new upload)--> replaced
//        |                                    ^--publish, no row accepted--/ (from approved)
//        +--discard--> discarded (any status before approved)
// A new upload for the same county, stream and period replaces the earlier unpublished ones that are
// not yet approved (an approved one is already queued for the publisher; the newer file merges over
// it by key).
import { stmt, type AppDb } from './db.ts';

export const SUBMISSION_STATUSES = ['validated', 'submitted', 'returned', 'approved', 'published', 'discarded', 'replaced'] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];

export interface SubmissionRow {
  id: number;
  county_code: string;
  stream: string;
  period: string;
  months: string;
  status: SubmissionStatus;
  file_name: string;
  sha256: string;
  size: number;
  original_name: string;
  uploader: string;
  uploaded_at: string;
  rows_read: number;
  accepted: number;
  rejected: number;
  rejects: string;
  submitted_at: string | null;
  first_submitted_at: string | null;
  reviewer: string | null;
  reviewed_at: string | null;
  return_reason: string | null;
  published_at: string | null;
  snapshot_id: string | null;
  attempts: number;
  last_error: string | null;
}

export interface SubmissionEvent {
  at: string;
  actor: string;
  status: string;
  note: string | null;
}

export type NewSubmission = Pick<
  SubmissionRow,
  'county_code' | 'stream' | 'period' | 'sha256' | 'size' | 'original_name' | 'uploader' | 'rows_read' | 'accepted' | 'rejected'
> & { months: string[]; rejects: unknown[]; extension: string };

const now = () => new Date().toISOString();
const event = (db: AppDb, id: number, actor: string, status: string, note: string | null = null) =>
  stmt(db, 'INSERT INTO submission_events (submission_id, at, actor, status, note) VALUES (?, ?, ?, ?, ?)').run(id, now(), actor, status, note);

/** Insert a validated submission (its file is named `<id>.<extension>`) and retire the earlier ones it replaces. */
export function insertSubmission(db: AppDb, s: NewSubmission): { row: SubmissionRow; replaced: number[] } {
  return db
    .transaction(() => {
      const { lastInsertRowid } = stmt(
        db,
        `INSERT INTO submissions (county_code, stream, period, months, status, file_name, sha256, size, original_name, uploader,
           uploaded_at, rows_read, accepted, rejected, rejects)
         VALUES (?, ?, ?, ?, 'validated', '', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(s.county_code, s.stream, s.period, JSON.stringify(s.months), s.sha256, s.size, s.original_name, s.uploader, now(), s.rows_read, s.accepted, s.rejected, JSON.stringify(s.rejects));
      const id = Number(lastInsertRowid);
      stmt(db, 'UPDATE submissions SET file_name = ? WHERE id = ?').run(`${id}.${s.extension}`, id);
      event(db, id, s.uploader, 'validated');
      const earlier = stmt(
        db,
        `SELECT id FROM submissions WHERE county_code = ? AND stream = ? AND period = ? AND id <> ? AND status IN ('validated', 'submitted', 'returned')`,
      ).all(s.county_code, s.stream, s.period, id) as { id: number }[];
      for (const e of earlier) {
        stmt(db, `UPDATE submissions SET status = 'replaced' WHERE id = ?`).run(e.id);
        event(db, e.id, s.uploader, 'replaced', `by submission ${id}`);
      }
      return { row: getSubmission(db, id)!, replaced: earlier.map((e) => e.id) };
    })
    .immediate();
}

export function getSubmission(db: AppDb, id: number): SubmissionRow | undefined {
  return stmt(db, 'SELECT * FROM submissions WHERE id = ?').get(id) as SubmissionRow | undefined;
}

export function submissionHistory(db: AppDb, id: number): SubmissionEvent[] {
  return stmt(db, 'SELECT at, actor, status, note FROM submission_events WHERE submission_id = ? ORDER BY id').all(id) as SubmissionEvent[];
}

export interface SubmissionFilter {
  county?: string;
  period?: string;
  status?: SubmissionStatus;
  stream?: string;
  limit?: number;
}

export function listSubmissions(db: AppDb, f: SubmissionFilter): SubmissionRow[] {
  return stmt(
    db,
    `SELECT * FROM submissions
     WHERE (@county IS NULL OR county_code = @county) AND (@period IS NULL OR period = @period)
       AND (@status IS NULL OR status = @status) AND (@stream IS NULL OR stream = @stream)
     ORDER BY id DESC LIMIT @limit`,
  ).all({ county: f.county ?? null, period: f.period ?? null, status: f.status ?? null, stream: f.stream ?? null, limit: f.limit ?? 500 }) as SubmissionRow[];
}

/** A move the state machine does not allow from the submission's current status. */
export class TransitionRefused extends Error {
  constructor(readonly current: SubmissionStatus, action: string, why?: string) {
    super(why ?? `cannot ${action} a submission that is ${current}`);
  }
}

function move(db: AppDb, id: number, action: string, from: SubmissionStatus[], to: SubmissionStatus, actor: string, set: string, args: unknown[], note: string | null = null): SubmissionRow {
  return db
    .transaction(() => {
      const row = getSubmission(db, id);
      if (!row) throw new Error(`no submission ${id}`);
      if (!from.includes(row.status)) throw new TransitionRefused(row.status, action);
      stmt(db, `UPDATE submissions SET status = ?${set ? `, ${set}` : ''} WHERE id = ?`).run(to, ...args, id);
      event(db, id, actor, to, note);
      return getSubmission(db, id)!;
    })
    .immediate();
}

/** validated → submitted. The first submission for the county, stream and period dates its lateness. */
export function submit(db: AppDb, id: number, actor: string): SubmissionRow {
  const row = getSubmission(db, id);
  // A file of which no row was accepted would publish nothing (etl/load.ts): nothing to review.
  if (row?.status === 'validated' && row.accepted === 0) {
    throw new TransitionRefused(row.status, 'submit', '没有一行通过检查，不能报送：请改正被拒绝的行后重新上传 / no row was accepted: fix the rejected rows and upload again');
  }
  const first = row
    ? (stmt(db, 'SELECT min(first_submitted_at) AS f FROM submissions WHERE county_code = ? AND stream = ? AND period = ?').get(row.county_code, row.stream, row.period) as { f: string | null }).f
    : null;
  const at = now();
  return move(db, id, 'submit', ['validated'], 'submitted', actor, 'submitted_at = ?, first_submitted_at = ?', [at, first ?? at]);
}

export const discard = (db: AppDb, id: number, actor: string) => move(db, id, 'discard', ['validated', 'submitted', 'returned'], 'discarded', actor, '', []);

export const approve = (db: AppDb, id: number, actor: string) =>
  move(db, id, 'approve', ['submitted'], 'approved', actor, 'reviewer = ?, reviewed_at = ?', [actor, now()]);

export const returnSubmission = (db: AppDb, id: number, actor: string, reason: string) =>
  move(db, id, 'return', ['submitted'], 'returned', actor, 'reviewer = ?, reviewed_at = ?, return_reason = ?', [actor, now(), reason], reason);

/** Approved and waiting for the publisher, oldest approval first. */
export function approvedSubmissions(db: AppDb): SubmissionRow[] {
  return stmt(db, `SELECT * FROM submissions WHERE status = 'approved' ORDER BY reviewed_at, id`).all() as SubmissionRow[];
}

/** After the snapshot holding them is in place; only rows still approved move. */
export function markPublished(db: AppDb, ids: number[], snapshotId: string, actor: string): void {
  db.transaction(() => {
    const at = now();
    for (const id of ids) {
      const { changes } = stmt(db, `UPDATE submissions SET status = 'published', published_at = ?, snapshot_id = ?, attempts = attempts + 1, last_error = NULL WHERE id = ? AND status = 'approved'`).run(at, snapshotId, id);
      if (changes) event(db, id, actor, 'published', `snapshot ${snapshotId}`);
    }
  }).immediate();
}

/**
 * approved → returned by the publisher: the publish accepted none of the file's rows (its case ids went
 * to another county's file of the same publish, say), so nothing of it is in the snapshot. Like a
 * reviewer's return, with the publish's rejects as the reason and as the submission's counts and rejects.
 */
export function returnUnpublished(
  db: AppDb,
  id: number,
  actor: string,
  reason: string,
  found: { read: number; accepted: number; rejected: number; rejects: unknown[] },
): SubmissionRow | null {
  if (getSubmission(db, id)?.status !== 'approved') return null; // as markPublished: only rows still approved move
  return move(
    db,
    id,
    'return',
    ['approved'],
    'returned',
    actor,
    'return_reason = ?, rows_read = ?, accepted = ?, rejected = ?, rejects = ?, attempts = attempts + 1, last_error = NULL',
    [reason, found.read, found.accepted, found.rejected, JSON.stringify(found.rejects)],
    reason,
  );
}

/** A failed or killed publish: they stay approved, with the attempt counted and the error kept. */
export function markPublishFailed(db: AppDb, ids: number[], error: string): void {
  db.transaction(() => {
    for (const id of ids) stmt(db, `UPDATE submissions SET attempts = attempts + 1, last_error = ? WHERE id = ? AND status = 'approved'`).run(error.slice(0, 2000), id);
  }).immediate();
}

/** The live submissions (not discarded or replaced) for the given periods, for the status matrix. */
export function submissionsForPeriods(db: AppDb, periods: string[], county?: string): SubmissionRow[] {
  if (periods.length === 0) return [];
  return db
    .prepare(
      `SELECT * FROM submissions WHERE period IN (${periods.map(() => '?').join(', ')}) AND (? IS NULL OR county_code = ?)
       ORDER BY id`,
    )
    .all(...periods, county ?? null, county ?? null) as SubmissionRow[];
}

/** The stored preview of a submission (JSON), or undefined when it has not been computed yet. */
export function storedPreview(db: AppDb, id: number): string | undefined {
  return (stmt(db, 'SELECT preview FROM submission_previews WHERE submission_id = ?').get(id) as { preview: string } | undefined)?.preview;
}

export function storePreview(db: AppDb, id: number, preview: string): void {
  stmt(db, 'INSERT OR REPLACE INTO submission_previews (submission_id, computed_at, preview) VALUES (?, ?, ?)').run(id, now(), preview);
}
