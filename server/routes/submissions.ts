// County submissions: upload and check, submit, discard (county); approve, return (reviewer). The
// state machine is in appdb/submissions.ts, the file handling in reporting/; the ETL worker checks the
// file, nothing here touches the warehouse. A county asking for another county's submission gets the
// same 403 whether it exists or not.
import { createReadStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { fitsEntry, kindOfPeriod, lastEndedMonth, periodContaining, type CalendarEntry } from '../../core/reporting-calendar.ts';
import { audit } from '../appdb/audit.ts';
import {
  approve,
  discard,
  getSubmission,
  insertSubmission,
  listSubmissions,
  returnSubmission,
  storedPreview,
  storePreview,
  submissionHistory,
  submit,
  TransitionRefused,
  type SubmissionRow,
} from '../appdb/submissions.ts';
import type { Principal } from '../plugins/auth.ts';
import { ApiError, badParameter, errorResponses, forbidden, notFound } from '../plugins/errors.ts';
import type { StreamName } from '../../core/contract.ts';
import { UnreadableUpload } from '../reporting/etl-worker.ts';
import { receiveUpload } from '../reporting/uploads.ts';
import {
  ReturnBody,
  STREAM_NAMES,
  SubmissionDetail,
  SubmissionList,
  SubmissionParams,
  SubmissionPreview,
  SubmissionQuery,
  UploadResponse,
  type Submission,
} from '../schemas/submissions.ts';

export const toSubmission = (r: SubmissionRow): Submission => ({
  id: r.id,
  county_code: r.county_code,
  stream: r.stream as Submission['stream'],
  period: r.period,
  months: JSON.parse(r.months) as string[],
  status: r.status,
  original_name: r.original_name,
  size: r.size,
  sha256: r.sha256,
  uploader: r.uploader,
  uploaded_at: r.uploaded_at,
  read: r.rows_read,
  accepted: r.accepted,
  rejected: r.rejected,
  submitted_at: r.submitted_at,
  first_submitted_at: r.first_submitted_at,
  reviewer: r.reviewer,
  reviewed_at: r.reviewed_at,
  return_reason: r.return_reason,
  published_at: r.published_at,
  snapshot_id: r.snapshot_id,
  attempts: r.attempts,
  last_error: r.last_error,
});

/** The period a file reports: the one containing the latest month its rows touch (an indicator-value
 * file: the period its latest row gives); a file with no good row: the latest period that has ended. */
function recognisedPeriod(entry: CalendarEntry, months: string[], periods: string[]): string {
  if (entry.period === 'catalog') return periods.at(-1) ?? lastEndedMonth();
  return periodContaining(entry.period, months.at(-1) ?? lastEndedMonth());
}

const submissions: FastifyPluginAsyncTypebox = async (app) => {
  // Multipart bodies are parsed in this plugin only: its hooks run for these routes, not for every request.
  await app.register(multipart, { throwFileSizeLimit: false, limits: { fileSize: app.reporting.uploadLimit, files: 1 } });
  const { reporting } = app;
  const db = app.appDb;
  const actor = (r: FastifyRequest) => r.principal!.username;

  /** The submission, if the caller may see it: a county only its own, and not told whether others exist. */
  function visible(p: Principal, id: number): SubmissionRow {
    const row = getSubmission(db, id);
    if (p.role === 'county') {
      if (!row || row.county_code !== p.county_code) throw forbidden(`a county account sees only its own county's submissions (${p.county_code})`);
      return row;
    }
    if (!row) throw notFound(`no submission ${id}`, 'id');
    return row;
  }

  /**
   * What the submission would change, computed by the ETL worker the first time it is asked for and
   * kept (the file never changes). None once published (the live snapshot already holds it, so there
   * is no "before" left to show), discarded or replaced; null when the worker could not compute it.
   */
  async function previewOf(request: FastifyRequest, row: SubmissionRow): Promise<SubmissionPreview | null> {
    const stored = storedPreview(db, row.id);
    if (stored) return JSON.parse(stored) as SubmissionPreview;
    if (!['validated', 'submitted', 'returned', 'approved'].includes(row.status)) return null;
    try {
      const preview = await reporting.checker.run({
        cmd: 'preview',
        file: path.join(reporting.uploadsDir, row.file_name),
        stream: row.stream,
        county: row.county_code,
        months: JSON.parse(row.months) as string[],
        warehouse: reporting.warehouse,
      });
      storePreview(db, row.id, JSON.stringify(preview));
      return preview;
    } catch (e) {
      request.log.warn({ err: e, submission: row.id }, 'submission preview failed');
      return null;
    }
  }

  const conflict = (e: unknown) => (e instanceof TransitionRefused ? new ApiError(409, 'conflict', e.message) : e);

  app.post(
    '/api/submissions',
    {
      schema: {
        tags: ['submissions'],
        summary: 'Upload a county file (multipart field `file`, optional `stream`, `period`): checked at once, nothing published',
        consumes: ['multipart/form-data'],
        response: { 201: UploadResponse, ...errorResponses(400, 401, 403, 413, 415) },
      },
      config: { roles: ['county'], sameOrigin: true },
    },
    async (request, reply) => {
      const p = request.principal!;
      const up = await receiveUpload(request, reporting.uploadsDir, reporting.uploadLimit);
      const rejectsTmp = `${up.tmpPath}.rejects.csv`;
      const outcome = (o: string) => audit(db, { actor: p.username, action: 'submission_upload', target: up.originalName.slice(0, 200), ip: request.ip, detail: { sha256: up.sha256, size: up.size, outcome: o } });
      try {
        const given = up.fields.stream;
        if (given !== undefined && !(STREAM_NAMES as readonly string[]).includes(given)) throw badParameter('stream', `one of ${STREAM_NAMES.join(', ')}`);
        const periodGiven = up.fields.period;
        if (periodGiven !== undefined && !kindOfPeriod(periodGiven)) throw badParameter('period', 'a reporting period: 2023-07, 2023-Q3 or 2023');
        let result;
        try {
          result = await reporting.checker.run({ cmd: 'check', file: up.tmpPath, stream: given as StreamName | undefined, county: p.county_code!, rejectsFile: rejectsTmp, warehouse: reporting.warehouse });
        } catch (e) {
          // The worker names the file by its stored path: name it as the office knows it.
          const message = (e as Error).message.replaceAll(up.tmpPath, up.originalName);
          if (e instanceof UnreadableUpload) throw badParameter('file', message);
          request.log.warn({ err: e }, 'upload check failed');
          throw badParameter('file', `无法在限额内读取此文件 / the file could not be read within the limits: ${message}`);
        }
        const entry = reporting.calendar.find((e) => e.stream === result.stream)!;
        if (periodGiven !== undefined && !fitsEntry(entry, periodGiven)) {
          throw badParameter('period', `${result.stream} is reported ${entry.period}: give ${entry.period === 'quarterly' ? '2023-Q3' : entry.period === 'annual' ? '2023' : '2023-07'}`);
        }
        const period = periodGiven ?? recognisedPeriod(entry, result.months, result.periods);
        const { row, replaced } = insertSubmission(db, {
          county_code: p.county_code!,
          stream: result.stream,
          period,
          months: result.months,
          sha256: up.sha256,
          size: up.size,
          original_name: up.originalName.slice(0, 255),
          uploader: p.username,
          rows_read: result.read,
          accepted: result.accepted,
          rejected: result.rejected,
          rejects: result.rejects,
          extension: up.kind,
        });
        await rename(up.tmpPath, path.join(reporting.uploadsDir, row.file_name));
        if (result.rejectsWritten) await rename(rejectsTmp, path.join(reporting.uploadsDir, `${row.id}.rejects.csv`));
        audit(db, {
          actor: p.username,
          action: 'submission_upload',
          target: String(row.id),
          ip: request.ip,
          detail: { name: row.original_name, sha256: up.sha256, size: up.size, stream: row.stream, period, accepted: row.accepted, rejected: row.rejected, replaced, outcome: 'validated' },
        });
        return reply.code(201).send({
          id: row.id,
          status: 'validated' as const,
          stream: row.stream as Submission['stream'],
          period,
          months: result.months,
          read: result.read,
          accepted: result.accepted,
          rejected: result.rejected,
          rejects: result.rejects,
          rejects_truncated: result.rejectsTruncated,
          replaced,
        });
      } catch (e) {
        await rm(up.tmpPath, { force: true });
        await rm(rejectsTmp, { force: true });
        outcome(`refused: ${(e as Error).message.slice(0, 300)}`);
        throw e;
      }
    },
  );

  app.get(
    '/api/submissions',
    {
      schema: {
        tags: ['submissions'],
        summary: 'Submissions, newest first: a county its own (give county=<own>), a reviewer all, filtered by county, period, status, stream',
        querystring: SubmissionQuery,
        response: { 200: SubmissionList, ...errorResponses(400, 401, 403) },
      },
      config: { roles: ['county', 'reviewer'] },
    },
    async (request) => ({ submissions: listSubmissions(db, request.query).map(toSubmission) }),
  );

  app.get(
    '/api/submissions/:id',
    {
      schema: {
        tags: ['submissions'],
        summary: 'One submission: counts, rejects, status history, return reason, and `preview`: what publishing it would change (the county\'s headline figure before and after, new, replaced and unchanged rows)',
        params: SubmissionParams,
        response: { 200: SubmissionDetail, ...errorResponses(400, 401, 403, 404) },
      },
      config: { roles: ['county', 'reviewer'] },
    },
    async (request) => {
      const row = visible(request.principal!, request.params.id);
      const preview = await previewOf(request, row);
      return { submission: toSubmission(row), preview, rejects: JSON.parse(row.rejects), history: submissionHistory(db, row.id) };
    },
  );

  app.get(
    '/api/submissions/:id/rejects.csv',
    {
      schema: { tags: ['submissions'], summary: 'The rejected rows as sent plus their problems (UTF-8 with BOM): fix and upload again', params: SubmissionParams },
      config: { roles: ['county', 'reviewer'] },
    },
    async (request, reply) => {
      const row = visible(request.principal!, request.params.id);
      const file = path.join(reporting.uploadsDir, `${row.id}.rejects.csv`);
      if (!(await stat(file).catch(() => null))) throw notFound(`submission ${row.id} has no rejected rows`);
      const name = `${row.original_name.replace(/\.[^.]*$/, '')}.rejects.csv`;
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="submission-${row.id}.rejects.csv"; filename*=UTF-8''${encodeURIComponent(name)}`)
        .header('cache-control', 'no-store')
        .send(createReadStream(file));
    },
  );

  const step = (
    url: string,
    method: 'POST' | 'DELETE',
    role: 'county' | 'reviewer',
    summary: string,
    action: 'submission_submit' | 'submission_discard' | 'submission_approve',
    apply: (id: number, who: string) => SubmissionRow,
  ) =>
    app.route({
      method,
      url,
      schema: { tags: ['submissions'], summary, params: SubmissionParams, response: { 200: SubmissionDetail, ...errorResponses(400, 401, 403, 404, 409) } },
      config: { roles: [role], sameOrigin: true },
      handler: async (request) => {
        const row = visible(request.principal!, request.params.id);
        let moved: SubmissionRow;
        try {
          moved = apply(row.id, actor(request));
        } catch (e) {
          throw conflict(e);
        }
        audit(db, { actor: actor(request), action, target: String(row.id), ip: request.ip, detail: { county: row.county_code, stream: row.stream, period: row.period } });
        if (action === 'submission_approve') reporting.publisher.kick();
        return { submission: toSubmission(moved), rejects: JSON.parse(moved.rejects), history: submissionHistory(db, row.id) };
      },
    });

  step('/api/submissions/:id/submit', 'POST', 'county', 'Send a validated submission for review', 'submission_submit', (id, who) => submit(db, id, who));
  step('/api/submissions/:id', 'DELETE', 'county', 'Discard a submission (not once approved)', 'submission_discard', (id, who) => discard(db, id, who));
  step('/api/submissions/:id/approve', 'POST', 'reviewer', 'Approve: it is published into the next snapshot within seconds', 'submission_approve', (id, who) => approve(db, id, who));

  app.post(
    '/api/submissions/:id/return',
    {
      schema: {
        tags: ['submissions'],
        summary: 'Return a submission to its county with a reason',
        params: SubmissionParams,
        body: ReturnBody,
        response: { 200: SubmissionDetail, ...errorResponses(400, 401, 403, 404, 409) },
      },
      config: { roles: ['reviewer'], sameOrigin: true },
    },
    async (request) => {
      const row = visible(request.principal!, request.params.id);
      let moved: SubmissionRow;
      try {
        moved = returnSubmission(db, row.id, actor(request), request.body.reason.trim());
      } catch (e) {
        throw conflict(e);
      }
      audit(db, { actor: actor(request), action: 'submission_return', target: String(row.id), ip: request.ip, detail: { county: row.county_code, reason: moved.return_reason } });
      return { submission: toSubmission(moved), rejects: JSON.parse(moved.rejects), history: submissionHistory(db, row.id) };
    },
  );
};

export default submissions;
