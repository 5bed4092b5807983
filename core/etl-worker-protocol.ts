// The messages between the server and the ETL's worker process (etl/worker.ts, driven by
// server/reporting/etl-worker.ts over IPC): declared once here, so both ends agree on them without
// the server importing etl/.
import type { StreamName } from './contract.ts';

export interface CheckJob {
  cmd: 'check';
  file: string;
  stream?: StreamName;
  /** the uploader's county: rows for any other unit are rejected */
  county: string;
  /** where to write the fix-and-resend CSV when there are rejects */
  rejectsFile: string;
  /** the live warehouse, read to refuse keys another county has filed (absent or missing: not checked) */
  warehouse?: string;
}

export interface WorkerReject {
  line: number;
  column: string | null;
  value: string | null;
  reason_zh: string;
  reason_en: string;
}

export interface CheckResult {
  stream: StreamName;
  /** the months (YYYY-MM) the accepted rows touch, oldest first */
  months: string[];
  /** indicator values: the periods the accepted rows give, as written (2023, 2023-Q2, 2023-07) */
  periods: string[];
  read: number;
  accepted: number;
  rejected: number;
  rejects: WorkerReject[];
  rejectsTruncated: boolean;
  rejectsWritten: boolean;
}

export interface PublishJob {
  cmd: 'publish';
  warehouse: string;
  /** `rejectsFile`: where the fix-and-resend CSV goes when none of the file's rows is accepted */
  submissions: { id: number; file: string; stream: StreamName; county: string; submittedAt: string; rejectsFile: string }[];
}

export interface PublishResult {
  /** `rejects`: listed only for a file of which no row was accepted (it goes back to its county), else empty */
  files: {
    id: number;
    read: number;
    accepted: number;
    rejected: number;
    replaced: number;
    unchanged: number;
    rejects: WorkerReject[];
    rejectsTruncated: boolean;
  }[];
  seconds: number;
  /** seconds per stage of the load (etl/stages.ts) */
  stages: Record<string, number>;
}
