// Subscriptions (analysts and admins): make, list, delete, send now. The scheduler in the server
// process (subscriptions/scheduler.ts) sends them; this file checks input and shows them, with robot
// URLs masked and secrets never shown.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { audit } from '../appdb/audit.ts';
import {
  activeSubscriptions,
  CHANNEL_KINDS,
  createSubscription,
  deleteSubscription,
  findSubscription,
  recentRuns,
  requestRun,
  type ChannelKind,
  type RunRow,
  type DeliveryRow,
  type SubscriptionRow,
} from '../appdb/subscriptions.ts';
import { badParameter, errorResponses, notFound } from '../plugins/errors.ts';
import { RunResponse, Subscription, SubscriptionBody, SubscriptionList, SubscriptionParams } from '../schemas/subscriptions.ts';
import { checkChannel, maskedChannel } from '../subscriptions/channel.ts';
import { checkParams } from '../subscriptions/params.ts';
import { cronProblem, nextRunAfter, TIME_ZONE } from '../subscriptions/schedule.ts';

const iso = (ms: number) => new Date(Math.min(ms, 8_640_000_000_000_000)).toISOString();

function runBody(r: RunRow & { deliveries: DeliveryRow[] }) {
  return {
    id: r.id,
    trigger: r.trigger,
    due_at: iso(r.due_at),
    status: r.status,
    attempts: r.attempts,
    next_attempt_at: r.status === 'pending' ? iso(r.next_attempt_at) : null,
    deliveries: r.deliveries.map((d) => ({ at: d.at, outcome: d.outcome, error: d.error })),
  };
}

const subscriptions: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.appDb;
  const { scheduler } = app.subscriptions;

  const body = (s: SubscriptionRow) => ({
    id: s.id,
    report: s.report,
    params: JSON.parse(s.params) as Record<string, string>,
    schedule: s.schedule,
    time_zone: TIME_ZONE,
    channel: maskedChannel(s),
    created_by: s.created_by,
    created_at: s.created_at,
    next_run_at: iso(s.next_run_at),
    runs: recentRuns(db, s.id).map(runBody),
  });

  const existing = (id: number) => {
    const s = findSubscription(db, id);
    if (!s) throw notFound(`subscription ${id} does not exist`, 'id');
    return s;
  };

  app.post(
    '/api/subscriptions',
    {
      schema: {
        tags: ['subscriptions'],
        summary: 'Subscribe a channel (email, DingTalk, WeCom, Feishu robot or a JSON webhook) to a report on a cron schedule (Asia/Shanghai)',
        body: SubscriptionBody,
        response: { 201: Subscription, ...errorResponses(400, 401, 403, 503) },
      },
      config: { roles: ['analyst', 'admin'], sameOrigin: true },
    },
    async (request, reply) => {
      const b = request.body;
      const problem = cronProblem(b.schedule);
      if (problem) throw badParameter('schedule', problem);
      if (!(CHANNEL_KINDS as readonly string[]).includes(b.channel.kind)) throw badParameter('channel.kind', `must be one of ${CHANNEL_KINDS.join(', ')}`);
      const channel = checkChannel({ ...b.channel, kind: b.channel.kind as ChannelKind }, app.subscriptions.allowedHosts);
      const params = await checkParams(b.report, b.params ?? {}, request.snapshot());
      const actor = request.principal!.username;
      const row = createSubscription(db, { report: b.report, params: { ...params }, schedule: b.schedule.trim(), channel, createdBy: actor, nextRunAt: nextRunAfter(b.schedule, scheduler.now()) });
      audit(db, { actor, action: 'subscription_create', target: String(row.id), ip: request.ip, detail: { report: row.report, schedule: row.schedule, channel: row.channel_kind } });
      return reply.code(201).send(body(row));
    },
  );

  app.get(
    '/api/subscriptions',
    {
      schema: { tags: ['subscriptions'], summary: 'Every subscription with its latest runs and their deliveries', response: { 200: SubscriptionList, ...errorResponses(401, 403) } },
      config: { roles: ['analyst', 'admin'] },
    },
    async () => ({ subscriptions: activeSubscriptions(db).map(body) }),
  );

  app.delete(
    '/api/subscriptions/:id',
    {
      schema: { tags: ['subscriptions'], summary: 'Stop a subscription (its delivery log is kept)', params: SubscriptionParams, response: { 204: { type: 'null', description: 'deleted' }, ...errorResponses(400, 401, 403, 404) } },
      config: { roles: ['analyst', 'admin'], sameOrigin: true },
    },
    async (request, reply) => {
      const s = existing(request.params.id);
      deleteSubscription(db, s.id, request.principal!.username);
      audit(db, { actor: request.principal!.username, action: 'subscription_delete', target: String(s.id), ip: request.ip, detail: { report: s.report, channel: s.channel_kind } });
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/subscriptions/:id/run',
    {
      schema: {
        tags: ['subscriptions'],
        summary: 'Send now: queues a run that the scheduler sends at once (202); its outcome shows in GET /api/subscriptions',
        params: SubscriptionParams,
        response: { 202: RunResponse, ...errorResponses(400, 401, 403, 404) },
      },
      config: { roles: ['analyst', 'admin'], sameOrigin: true },
    },
    async (request, reply) => {
      const s = existing(request.params.id);
      const actor = request.principal!.username;
      const run = requestRun(db, s.id, actor, scheduler.now());
      audit(db, { actor, action: 'subscription_run', target: String(s.id), ip: request.ip, detail: { run: run.id } });
      void scheduler.kick();
      return reply.code(202).send({ run: runBody({ ...run, deliveries: [] }) });
    },
  );
};

export default subscriptions;
