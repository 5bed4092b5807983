// Alert pushes (subscriptions of report "alerts"): the engine's high-level alerts of the current
// scoring period (indicator_alert.level = 'high') and the counties overdue on their reports for the
// last month that has ended (the reporting status matrix), each pushed once per period to the
// leadership channel. What a subscription has pushed is remembered (subscription_pushed), so later
// runs and other replicas send only what is new; when nothing is new, nothing is sent.
import { lastEndedMonth, type CalendarEntry } from '../../core/reporting-calendar.ts';
import type { AppDb } from '../appdb/db.ts';
import { notYetPushed, type SubscriptionRow } from '../appdb/subscriptions.ts';
import type { Snapshot } from '../plugins/warehouse.ts';
import { alerts, resolveScorePeriod } from '../queries/scores.ts';
import { unitTree } from '../queries/units.ts';
import { reportingStatus } from '../reporting/status.ts';
import { alertMessage } from '../text/alerts.ts';
import type { Message } from './message.ts';

const SHOWN_ALERTS = 5;
const SHOWN_OVERDUE = 8;

export interface AlertPush {
  /** null: nothing new, nothing to send */
  message: Message | null;
  /** the items the message carries, to remember once it is delivered */
  items: string[];
  counts: { alerts: number; overdue: number };
}

export interface AlertDeps {
  snapshot: Snapshot;
  appDb: AppDb;
  calendar: CalendarEntry[];
  baseUrl: string;
  now: Date;
}

export async function alertPush(sub: SubscriptionRow, deps: AlertDeps): Promise<AlertPush> {
  const { snapshot, appDb, baseUrl } = deps;
  const period = await resolveScorePeriod(snapshot.db, undefined);
  const high = period ? (await alerts(snapshot.db, { period, alertLevel: 'high' }, 10_000)).rows : [];
  const alertItem = (a: (typeof high)[number]) => `alert:${period!.period}:${a.unit_code}:${a.indicator_code}:${a.kind}`;
  const newAlerts = new Set(notYetPushed(appDb, sub.id, high.map(alertItem)));
  const freshAlerts = high.filter((a) => newAlerts.has(alertItem(a)));

  const month = lastEndedMonth(deps.now);
  const tree = await unitTree(snapshot.db);
  const counties = tree.flatMap((c) => c.counties.map((x) => ({ code: x.code, name: x.name })));
  const status = reportingStatus(appDb, deps.calendar, month, counties, deps.now.toISOString());
  const streamName = new Map(deps.calendar.map((e) => [e.stream, e.nameZh]));
  const overdue = status.counties.flatMap((c) => c.cells.filter((cell) => cell.overdue).map((cell) => ({ county: c.county_name, code: c.county_code, stream: cell.stream, period: cell.period })));
  const overdueItem = (o: (typeof overdue)[number]) => `overdue:${o.period}:${o.code}:${o.stream}`;
  const newOverdue = new Set(notYetPushed(appDb, sub.id, overdue.map(overdueItem)));
  const freshOverdue = overdue.filter((o) => newOverdue.has(overdueItem(o)));

  const items = [...freshAlerts.map(alertItem), ...freshOverdue.map(overdueItem)];
  const counts = { alerts: freshAlerts.length, overdue: freshOverdue.length };
  if (items.length === 0) return { message: null, items, counts };

  const lines: string[] = [];
  if (freshAlerts.length) {
    lines.push(`新增高等级预警 ${freshAlerts.length} 项（${period!.period}）：`);
    lines.push(...freshAlerts.slice(0, SHOWN_ALERTS).map((a) => alertMessage(a, 'zh-CN')));
    if (freshAlerts.length > SHOWN_ALERTS) lines.push(`……另有 ${freshAlerts.length - SHOWN_ALERTS} 项，详见驾驶舱`);
  }
  if (freshOverdue.length) {
    const countyCount = new Set(freshOverdue.map((o) => o.code)).size;
    lines.push(`${month} 逾期未报：${countyCount} 个县区，${freshOverdue.length} 张报表`);
    const shown = freshOverdue.slice(0, SHOWN_OVERDUE).map((o) => `${o.county}（${streamName.get(o.stream as CalendarEntry['stream']) ?? o.stream}）`);
    lines.push(shown.join('、') + (freshOverdue.length > SHOWN_OVERDUE ? ' 等' : ''));
  }
  const title = [freshAlerts.length ? `新增高等级预警 ${freshAlerts.length} 项` : '', freshOverdue.length ? `逾期未报 ${freshOverdue.length} 张` : ''].filter(Boolean).join('，');
  return {
    message: { title: `工会驾驶舱预警：${title}`, lines, link: `${baseUrl}${freshAlerts.length ? '/analyst' : '/review'}` },
    items,
    counts,
  };
}
