// Subscriptions: a report sent on a schedule to a channel. Exported for the web client.
import { Type, type Static } from 'typebox';
import { CHANNEL_KINDS, REPORTS } from '../../core/subscription-reports.ts';
import { Nullable } from './common.ts';

export const SubscriptionBody = Type.Object(
  {
    report: Type.Enum([...REPORTS], {
      description: 'briefing (本期要点, PDF), rankings (XLSX), scorecard (a unit, PDF), mediation (XLSX) or alerts (new high-level alerts and overdue counties, once each per period)',
    }),
    params: Type.Optional(
      Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 100 }), {
        description: 'the report\'s filters as strings: rankings set (required), city, period; scorecard unit (required), period; mediation unit (required), by; format (pdf, xlsx, csv where the report has it); lang (zh-CN, en)',
      }),
    ),
    schedule: Type.String({ minLength: 1, maxLength: 100, description: 'a cron expression in Asia/Shanghai time, e.g. "0 8 1 * *" (08:00 on the 1st)' }),
    channel: Type.Object(
      {
        kind: Type.String({ maxLength: 20, description: 'email, dingtalk, wecom, feishu or webhook' }),
        to: Type.Optional(Type.String({ maxLength: 1000, description: 'email: the addresses, comma-separated' })),
        url: Type.Optional(Type.String({ maxLength: 2000, description: "robots and webhook: the webhook address" })),
        secret: Type.Optional(Type.String({ maxLength: 200, description: 'DingTalk and Feishu: the signing secret; webhook: signs the body' })),
      },
      { additionalProperties: false, description: 'where to send it' },
    ),
  },
  { additionalProperties: false },
);
export type SubscriptionBody = Static<typeof SubscriptionBody>;

export const SubscriptionParams = Type.Object({
  id: Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'a subscription id' }),
});

export const Delivery = Type.Object({
  at: Type.String(),
  outcome: Type.Enum(['sent', 'quiet', 'failed'], { description: 'quiet: an alert push with nothing new, nothing sent' }),
  error: Nullable(Type.String()),
});

export const SubscriptionRun = Type.Object({
  id: Type.Integer(),
  trigger: Type.Enum(['schedule', 'manual']),
  due_at: Type.String(),
  status: Type.Enum(['pending', 'sent', 'quiet', 'failed']),
  attempts: Type.Integer(),
  next_attempt_at: Nullable(Type.String({ description: 'pending: when it is tried (again)' })),
  deliveries: Type.Array(Delivery, { description: 'every attempt, oldest first' }),
});
export type SubscriptionRun = Static<typeof SubscriptionRun>;

export const Subscription = Type.Object({
  id: Type.Integer(),
  report: Type.Enum([...REPORTS]),
  params: Type.Record(Type.String(), Type.String()),
  schedule: Type.String(),
  time_zone: Type.Literal('Asia/Shanghai'),
  channel: Type.Object({
    kind: Type.Enum([...CHANNEL_KINDS]),
    to: Nullable(Type.String()),
    url: Nullable(Type.String({ description: 'masked: host and the last characters only' })),
    secret_set: Type.Boolean(),
  }),
  created_by: Type.String(),
  created_at: Type.String(),
  next_run_at: Type.String({ description: 'the next scheduled time (ISO, UTC)' }),
  runs: Type.Array(SubscriptionRun, { description: 'the latest runs, newest first' }),
});
export type Subscription = Static<typeof Subscription>;

export const SubscriptionList = Type.Object({ subscriptions: Type.Array(Subscription) });
export type SubscriptionList = Static<typeof SubscriptionList>;

export const RunResponse = Type.Object({ run: SubscriptionRun });
