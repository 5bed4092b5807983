// The publisher batches approvals (issue 11: many approvals, one publish): each approval restarts a
// quiet pause (settleMs), so a reviewer approving a matrix cell after cell gives one publish; the pause
// never runs past maxSettleMs from the first approval, so a steady trickle still publishes; a county's
// correction approved in the same batch as its earlier file still replaces that file's rows; a file of
// which the publish accepts no row goes back to its county instead of being marked published; a row of
// another county in an approved file is rejected at publish as at upload. Real app (inject), the real
// ETL worker process and the tiny warehouse of helpers.ts; the publisher's pauses run on a clock the
// test moves, so the batches are exact however slowly a loaded machine serves the approvals.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSubmission } from '../../server/appdb/submissions.ts';
import type { PublishOutcome } from '../../server/reporting/publisher.ts';
import { ManualClock } from '../helpers/manual-clock.ts';
import { multipart } from '../helpers/multipart.ts';
import { login, testEnv, type TestEnv } from './helpers.ts';

const SETTLE_MS = 2000;
const MAX_SETTLE_MS = 5500;
/** Between two approvals: under the quiet pause, so they belong together. */
const GAP_MS = 1500;

let env: TestEnv;
let clock: ManualClock;
let county: string;
let neighbour: string;
let reviewer: string;
const SAME = { 'x-requested-with': 'union-cockpit' };
const HEAD = 'case_id,county_code,received_date,closed_date,dispute_type,channel,outcome,workers,amount_yuan\n';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const act = (cookie: string, url: string) => env.app.inject({ method: 'POST', url, headers: { cookie, ...SAME } });

/** A submitted one-case month of 450102 (each month its own submission), or the given rows for that month, sent by `by`. */
async function submitted(month: number, rows?: string, by = county): Promise<number> {
  const mm = String(month).padStart(2, '0');
  const content = HEAD + (rows ?? `B${mm},450102,2023-${mm}-02,2023-${mm}-09,wages,union,success,1,\n`);
  const body = multipart({ name: `2023-${mm}.csv`, content }, { period: `2023-${mm}` });
  const res = await env.app.inject({ method: 'POST', url: '/api/submissions', payload: body.payload, headers: { cookie: by, ...body.headers, ...SAME } });
  expect(res.statusCode, res.body).toBe(201);
  const { id } = res.json() as { id: number };
  expect((await act(by, `/api/submissions/${id}/submit`)).statusCode).toBe(200);
  return id;
}

async function approve(id: number): Promise<void> {
  const res = await act(reviewer, `/api/submissions/${id}/approve`);
  expect(res.statusCode, res.body).toBe(200);
}

/** Moves the publisher's clock by `ms`; `publishing`: whether the publisher's pause has ended there (its
 * publish began) or still runs. */
function advance(ms: number, publishing: boolean): void {
  clock.advance(ms);
  expect(clock.pending, publishing ? 'the pause has ended' : 'the pause still runs').toBe(publishing ? 0 : 1);
}

/** The publisher's attempts, in order, from now on. */
function outcomes(): PublishOutcome[] {
  const seen: PublishOutcome[] = [];
  const listen = async (): Promise<void> => {
    seen.push(await env.app.reporting.publisher.next());
    return listen();
  };
  void listen();
  return seen;
}

async function until(check: () => boolean, what: string): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > 120_000) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

beforeAll(async () => {
  clock = new ManualClock();
  env = await testEnv({ reporting: { publisher: { settleMs: SETTLE_MS, maxSettleMs: MAX_SETTLE_MS, pollMs: 3_600_000, retryMs: 300, clock } } });
  // The pause the publisher starts with (for approvals made before a restart) ends with nothing to publish.
  advance(SETTLE_MS - 1, false);
  advance(1, true);
  county = await login(env.app, 'county-450102', 'county-demo');
  neighbour = await login(env.app, 'county-450103', 'county-demo');
  reviewer = await login(env.app, 'reviewer', 'reviewer-demo');
});
afterAll(() => env?.close());

describe('publisher batching', () => {
  it('approvals that keep arriving within the quiet pause share one publish, though they span longer than the pause', async () => {
    const ids = [await submitted(5), await submitted(6), await submitted(7)];
    const seen = outcomes();
    for (const [i, id] of ids.entries()) {
      if (i > 0) advance(GAP_MS, false);
      await approve(id);
    }
    // The first approval's pause ended 1 s before the last came; the last one's pause ends at 5 s.
    advance(SETTLE_MS - 1, false);
    advance(1, true);
    await until(() => seen.length > 0, 'the publish');
    expect(seen).toEqual([{ ok: true, ids: [...ids].sort((a, b) => a - b), returned: [], snapshotId: expect.any(String) }]);
    for (const id of ids) expect(getSubmission(env.app.appDb, id)).toMatchObject({ status: 'published', attempts: 1 });
    // Each submission's audit entry times the publish around its load: it began after the quiet pause
    // that followed the last approval, and the new snapshot was opened and warmed before it was served.
    const row = env.app.appDb.prepare(`SELECT detail FROM audit_log WHERE action = 'submission_publish' AND target = ?`).get(String(ids[2])) as { detail: string };
    const { gap } = (JSON.parse(row.detail) as { publish: { gap: Record<string, number> } }).publish;
    expect(gap.settle).toBe(SETTLE_MS / 1000);
    for (const k of ['worker', 'switch', 'open', 'warm', 'mark']) expect(gap[k], k).toBeGreaterThanOrEqual(0);
    expect(gap.open + gap.warm).toBeGreaterThan(0);
  }, 240_000);

  it('a steady trickle of approvals still publishes once the longest pause from the first has passed', async () => {
    const ids: number[] = [];
    for (const month of [8, 9, 10, 11, 12]) ids.push(await submitted(month));
    const seen = outcomes();
    // Four approvals 1.5 s apart, each within the pause of the one before: the longest pause from the
    // first ends the wait at 5.5 s, 1 s after the fourth, before its own pause would have.
    for (const [i, id] of ids.slice(0, 4).entries()) {
      if (i > 0) advance(GAP_MS, false);
      await approve(id);
    }
    advance(MAX_SETTLE_MS - 3 * GAP_MS - 1, false);
    advance(1, true);
    // The fifth, at 6 s, comes while that publish runs (or after it), and goes out in one of its own after its pause.
    clock.advance(4 * GAP_MS - MAX_SETTLE_MS);
    await approve(ids[4]);
    await until(() => seen.length > 0 && clock.pending === 1, 'the first publish, and the pause after it');
    advance(SETTLE_MS - 1, false);
    advance(1, true);
    await until(() => seen.length > 1, 'the second publish');
    expect(seen).toEqual([
      { ok: true, ids: ids.slice(0, 4), returned: [], snapshotId: expect.any(String) },
      { ok: true, ids: ids.slice(4), returned: [], snapshotId: env.app.warehouse.current!.id },
    ]);
    for (const id of ids) expect(getSubmission(env.app.appDb, id)).toMatchObject({ status: 'published', attempts: 1 });
  }, 240_000);

  it("a county's correction approved together with its earlier month replaces that month's row, as when published apart", async () => {
    // March: a case still being mediated; April: the same case closed, and a new one.
    const march = await submitted(3, 'C03,450102,2023-03-02,,wages,union,pending,1,\n');
    const april = await submitted(4, 'C03,450102,2023-03-02,2023-04-05,wages,union,success,1,\nC04,450102,2023-04-03,2023-04-10,wages,union,success,1,\n');
    const seen = outcomes();
    for (const id of [march, april]) await approve(id);
    advance(SETTLE_MS, true);
    await until(() => [march, april].every((id) => getSubmission(env.app.appDb, id)!.status === 'published'), 'both published');
    expect(seen).toEqual([{ ok: true, ids: [march, april], returned: [], snapshotId: expect.any(String) }]);
    // April's file was merged after March's: its C03 replaced March's, nothing of it was rejected.
    const published = env.app.appDb
      .prepare(`SELECT target, detail FROM audit_log WHERE action = 'submission_publish' AND target IN (?, ?)`)
      .all(String(march), String(april)) as { target: string; detail: string }[];
    const detail = new Map(published.map((r) => [Number(r.target), JSON.parse(r.detail) as { accepted: number; rejected: number; replaced: number }]));
    expect(detail.get(march)).toMatchObject({ accepted: 1, rejected: 0 });
    expect(detail.get(april)).toMatchObject({ accepted: 2, rejected: 0, replaced: 1 });
    // Marked published only once served: the snapshot serving now is the publish's.
    expect(seen[0]).toMatchObject({ snapshotId: env.app.warehouse.current!.id });
    const lease = env.app.warehouse.acquire();
    try {
      const { rows: cases } = await sql<{ case_id: string; outcome: string; closed: string | null }>`
        SELECT case_id, outcome::VARCHAR AS outcome, strftime(closed_date, '%Y-%m-%d') AS closed
        FROM fact_mediation WHERE case_id IN ('C03', 'C04') ORDER BY case_id`.execute(lease.snapshot.db);
      expect(cases).toEqual([
        { case_id: 'C03', outcome: 'success', closed: '2023-04-05' },
        { case_id: 'C04', outcome: 'success', closed: '2023-04-10' },
      ]);
    } finally {
      lease.release();
    }
  }, 240_000);

  it('a file of which the publish accepts no row goes back to its county with the rejects as the reason, not published', async () => {
    // Two counties send the same new case id: each check passes (neither is in the snapshot yet), and
    // in their publish the file approved first takes the id, so the other's only row is another
    // county's case.
    const mine = await submitted(2, 'D01,450102,2023-02-02,2023-02-09,wages,union,success,1,\n');
    const theirs = await submitted(2, 'D01,450103,2023-02-03,2023-02-10,wages,union,failed,2,\n', neighbour);
    const seen = outcomes();
    for (const id of [mine, theirs]) await approve(id);
    advance(SETTLE_MS, true);
    await until(() => seen.length > 0, 'the publish');
    expect(seen).toEqual([{ ok: true, ids: [mine, theirs], returned: [theirs], snapshotId: env.app.warehouse.current!.id }]);
    expect(getSubmission(env.app.appDb, mine)).toMatchObject({ status: 'published', attempts: 1 });
    const res = await env.app.inject({ url: `/api/submissions/${theirs}`, headers: { cookie: neighbour } });
    expect(res.statusCode, res.body).toBe(200);
    const detail = res.json();
    expect(detail.submission).toMatchObject({ status: 'returned', published_at: null, snapshot_id: null, read: 1, accepted: 0, rejected: 1, attempts: 1 });
    expect(detail.submission.return_reason).toContain('no row was accepted when publishing (1 rejected, e.g. line 2 county_code: D01 is already filed by another county');
    expect(detail.rejects).toEqual([expect.objectContaining({ line: 2, column: 'county_code', value: '450103', reason_zh: expect.stringContaining('编号已被其他单位使用') })]);
    expect(detail.history.map((h: { status: string; actor: string }) => `${h.status} ${h.actor}`)).toEqual([
      'validated county-450103',
      'submitted county-450103',
      'approved reviewer',
      'returned publisher',
    ]);
    // Its fix-and-resend CSV lists the row with the publish's reason.
    const csv = await env.app.inject({ url: `/api/submissions/${theirs}/rejects.csv`, headers: { cookie: neighbour } });
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain('D01,450103,2023-02-03');
    expect(csv.body).toContain('is already filed by another county');
    // The snapshot holds the first county's case only.
    const lease = env.app.warehouse.acquire();
    try {
      const { rows: cases } = await sql<{ county_code: string }>`SELECT county_code FROM fact_mediation WHERE case_id = 'D01'`.execute(lease.snapshot.db);
      expect(cases).toEqual([{ county_code: '450102' }]);
    } finally {
      lease.release();
    }
  }, 240_000);

  it("a county's approved file publishes its own rows only: a row of another county, rejected at upload, stays out of the snapshot", async () => {
    const id = await submitted(1, 'E01,450102,2023-01-02,2023-01-09,wages,union,success,1,\nE02,450103,2023-01-03,2023-01-10,wages,union,failed,3,\n');
    expect(getSubmission(env.app.appDb, id)).toMatchObject({ accepted: 1, rejected: 1 });
    const seen = outcomes();
    await approve(id);
    advance(SETTLE_MS, true);
    await until(() => seen.length > 0, 'the publish');
    expect(seen).toEqual([{ ok: true, ids: [id], returned: [], snapshotId: env.app.warehouse.current!.id }]);
    const lease = env.app.warehouse.acquire();
    try {
      const { rows: cases } = await sql<{ case_id: string; county_code: string }>`
        SELECT case_id, county_code FROM fact_mediation WHERE case_id IN ('E01', 'E02') ORDER BY case_id`.execute(lease.snapshot.db);
      expect(cases).toEqual([{ case_id: 'E01', county_code: '450102' }]);
    } finally {
      lease.release();
    }
  }, 240_000);
});
