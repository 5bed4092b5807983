// County submissions: upload answer, list, detail, review. Exported for the web client.
import { Type, type Static } from 'typebox';
import { Nullable } from './common.ts';

export const STREAM_NAMES = ['mediation', 'insurance_enrolment', 'insurance_claim', 'assistance', 'training', 'funding', 'indicator_value'] as const;
export const SUBMISSION_STATUS = ['validated', 'submitted', 'returned', 'approved', 'published', 'discarded', 'replaced'] as const;

export const Period = Type.String({ pattern: '^\\d{4}(-(0[1-9]|1[0-2]|Q[1-4]))?$', description: 'a reporting period: 2023-07 (month), 2023-Q3 (quarter) or 2023 (year)' });

export const SubmissionReject = Type.Object({
  line: Type.Integer({ description: 'the line as Excel shows it (header = 1)' }),
  column: Nullable(Type.String()),
  value: Nullable(Type.String()),
  reason_zh: Type.String(),
  reason_en: Type.String(),
});
export type SubmissionReject = Static<typeof SubmissionReject>;

export const Submission = Type.Object({
  id: Type.Integer(),
  county_code: Type.String(),
  stream: Type.Enum([...STREAM_NAMES]),
  period: Type.String(),
  months: Type.Array(Type.String(), { description: 'the months (YYYY-MM) the accepted rows touch' }),
  status: Type.Enum([...SUBMISSION_STATUS]),
  original_name: Type.String(),
  size: Type.Integer(),
  sha256: Type.String(),
  uploader: Type.String(),
  uploaded_at: Type.String(),
  read: Type.Integer(),
  accepted: Type.Integer(),
  rejected: Type.Integer(),
  submitted_at: Nullable(Type.String()),
  first_submitted_at: Nullable(Type.String({ description: 'the first submission for this county, stream and period: lateness counts from it' })),
  reviewer: Nullable(Type.String()),
  reviewed_at: Nullable(Type.String()),
  return_reason: Nullable(Type.String()),
  published_at: Nullable(Type.String()),
  snapshot_id: Nullable(Type.String()),
  attempts: Type.Integer({ description: 'publish attempts' }),
  last_error: Nullable(Type.String({ description: 'why the last publish attempt failed' })),
});
export type Submission = Static<typeof Submission>;

export const UploadFields = Type.Object({
  stream: Type.Optional(Type.Enum([...STREAM_NAMES], { description: 'the stream; default: recognised from the header' })),
  period: Type.Optional(Period),
});

export const UploadResponse = Type.Object({
  id: Type.Integer(),
  status: Type.Literal('validated'),
  stream: Type.Enum([...STREAM_NAMES]),
  period: Type.String(),
  months: Type.Array(Type.String()),
  read: Type.Integer(),
  accepted: Type.Integer(),
  rejected: Type.Integer(),
  rejects: Type.Array(SubmissionReject, { description: 'the first 1000; all of them in rejects.csv' }),
  rejects_truncated: Type.Boolean(),
  replaced: Type.Array(Type.Integer(), { description: 'earlier submissions for the same county, stream and period that this one replaces' }),
});
export type UploadResponse = Static<typeof UploadResponse>;

const FigureValue = Type.Object({
  value: Nullable(Type.Number()),
  numerator: Nullable(Type.Number()),
  denominator: Nullable(Type.Number()),
  null_reason: Nullable(Type.String({ description: 'why value is null (sql/indicators/20-metric-values.sql)' })),
});

export const SubmissionPreview = Type.Object(
  {
    stream: Type.Enum([...STREAM_NAMES]),
    county_code: Type.String(),
    county_name: Type.String(),
    figure: Nullable(
      Type.Object({
        metric: Type.String({ description: "the stream's headline metric" }),
        name_zh: Type.String(),
        name_en: Type.String(),
        unit: Type.String({ description: 'percent, count, yuan or days' }),
        from: Type.String({ description: 'first month of the window (January of the year)' }),
        to: Type.String({ description: 'last month of the window: the latest month the submission touches' }),
        before: FigureValue,
        after: FigureValue,
      }),
    ),
    new_rows: Type.Integer(),
    replaced_rows: Type.Integer(),
    unchanged_rows: Type.Integer(),
    rejected_rows: Type.Integer(),
  },
  { description: "what publishing this submission would change: the county's headline figure for the stream, year to date to the latest month it touches, before and after (computed by the engine's SQL over the live snapshot and the submission merged by key), and its rows" },
);
export type SubmissionPreview = Static<typeof SubmissionPreview>;

export const SubmissionDetail = Type.Object({
  submission: Submission,
  preview: Type.Optional(Nullable(SubmissionPreview)),
  rejects: Type.Array(SubmissionReject),
  history: Type.Array(Type.Object({ at: Type.String(), actor: Type.String(), status: Type.String(), note: Nullable(Type.String()) })),
});
export type SubmissionDetail = Static<typeof SubmissionDetail>;

export const SubmissionList = Type.Object({ submissions: Type.Array(Submission) });
export type SubmissionList = Static<typeof SubmissionList>;

export const SubmissionQuery = Type.Object({
  county: Type.Optional(Type.String({ pattern: '^45\\d{4}$', description: 'a county code (a county account: its own)' })),
  period: Type.Optional(Period),
  status: Type.Optional(Type.Enum([...SUBMISSION_STATUS], { description: SUBMISSION_STATUS.join(', ') })),
  stream: Type.Optional(Type.Enum([...STREAM_NAMES], { description: STREAM_NAMES.join(', ') })),
});

export const SubmissionParams = Type.Object({ id: Type.Integer({ minimum: 1, description: 'the submission id' }) });

export const ReturnBody = Type.Object({
  reason: Type.String({ minLength: 1, maxLength: 2000, pattern: '\\S', description: 'why it is returned: the county reads it' }),
});
