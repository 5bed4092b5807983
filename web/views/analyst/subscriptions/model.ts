// The subscriptions page's logic, without Vue: the form's fields for each report, the request body
// the form makes, the schedule presets, and how a subscription's latest run reads.
import { CHANNEL_KINDS, REPORT_PARAMS, REPORTS, type ChannelKind, type ReportKind } from '../../../../core/subscription-reports.ts';
import type { Subscription, SubscriptionBody } from '../../../api/types.ts';

export type ReportName = ReportKind;
export type ChannelName = ChannelKind;
export { REPORTS };
export const CHANNELS = CHANNEL_KINDS;

/** The inputs a report takes, beside schedule and channel (core/subscription-reports.ts); the first format is the server's default. */
export const REPORT_FIELDS = Object.fromEntries(
  REPORTS.map((r) => [r, { set: REPORT_PARAMS[r].keys.includes('set'), unit: REPORT_PARAMS[r].keys.includes('unit'), formats: REPORT_PARAMS[r].formats as readonly string[] }]),
) as Record<ReportName, { set: boolean; unit: boolean; formats: readonly string[] }>;

/** Cron expressions (Beijing time) offered by name; anything else is typed in. */
export const SCHEDULE_PRESETS = {
  monthly: '0 8 1 * *',
  weekly: '0 8 * * 1',
  daily: '0 8 * * *',
  workdays: '0 9,15 * * 1-5',
} as const;
export type SchedulePreset = keyof typeof SCHEDULE_PRESETS | 'custom';

export interface SubscriptionForm {
  report: ReportName;
  set: 'county47' | 'reform88';
  unit: string;
  format: string;
  preset: SchedulePreset;
  cron: string;
  channel: ChannelName;
  to: string;
  url: string;
  secret: string;
}

export function emptyForm(): SubscriptionForm {
  return { report: 'briefing', set: 'county47', unit: '', format: 'pdf', preset: 'monthly', cron: SCHEDULE_PRESETS.monthly, channel: 'email', to: '', url: '', secret: '' };
}

/** What POST /api/subscriptions gets from the form: only the fields the report and the channel take. */
export function subscriptionBody(f: SubscriptionForm): SubscriptionBody {
  const fields = REPORT_FIELDS[f.report];
  const params: Record<string, string> = {};
  if (fields.set) params.set = f.set;
  if (fields.unit) params.unit = f.unit.trim();
  if (fields.formats.length && f.format && fields.formats.includes(f.format) && f.format !== fields.formats[0]) params.format = f.format;
  const channel: SubscriptionBody['channel'] =
    f.channel === 'email' ? { kind: 'email', to: f.to.trim() } : { kind: f.channel, url: f.url.trim(), ...(f.secret.trim() ? { secret: f.secret.trim() } : {}) };
  return { report: f.report, params, schedule: f.preset === 'custom' ? f.cron.trim() : SCHEDULE_PRESETS[f.preset], channel };
}

/** A channel as the list shows it: the addresses, or the masked robot address. */
export function channelTarget(s: Pick<Subscription, 'channel'>): string {
  return s.channel.to ?? s.channel.url ?? '';
}

export type LastState = 'never' | 'pending' | 'sent' | 'quiet' | 'failed' | 'retrying';

/** The latest run: never run, waiting, sent, quiet (nothing new), failed, or failed and to be retried. */
export function lastState(s: Pick<Subscription, 'runs'>): { state: LastState; at: string | null; error: string | null } {
  const run = s.runs[0];
  if (!run) return { state: 'never', at: null, error: null };
  const last = run.deliveries.at(-1) ?? null;
  const state: LastState = run.status === 'pending' ? (run.attempts > 0 ? 'retrying' : 'pending') : run.status;
  return { state, at: last?.at ?? null, error: state === 'failed' || state === 'retrying' ? (last?.error ?? null) : null };
}
