// The audit log: logins, failed logins, logouts, user and token changes, exports, and every step of a
// county submission (upload, submit, discard, return, approve, publish), subscriptions made, deleted and
// sent now. Who, what, when.
import { stmt, type AppDb } from './db.ts';

export type AuditAction =
  | 'login'
  | 'login_failed'
  | 'logout'
  | 'user_add'
  | 'user_passwd'
  | 'user_disable'
  | 'user_enable'
  | 'token_create'
  | 'token_revoke'
  | 'export'
  | 'submission_upload'
  | 'submission_submit'
  | 'submission_discard'
  | 'submission_return'
  | 'submission_approve'
  | 'submission_publish'
  | 'subscription_create'
  | 'subscription_delete'
  | 'subscription_run';

export interface AuditEntry {
  actor: string | null;
  action: AuditAction;
  target?: string | null;
  detail?: Record<string, unknown> | null;
  ip?: string | null;
}

export function audit(db: AppDb, e: AuditEntry): void {
  stmt(db, 'INSERT INTO audit_log (actor, action, target, detail, ip) VALUES (?, ?, ?, ?, ?)').run(
    e.actor,
    e.action,
    e.target ?? null,
    e.detail ? JSON.stringify(e.detail) : null,
    e.ip ?? null,
  );
}

export interface AuditRow {
  id: number;
  at: string;
  actor: string | null;
  action: AuditAction;
  target: string | null;
  detail: string | null;
  ip: string | null;
}

export function recentAudit(db: AppDb, limit = 100): AuditRow[] {
  return stmt(db, 'SELECT * FROM audit_log ORDER BY id DESC LIMIT ?').all(limit) as AuditRow[];
}
