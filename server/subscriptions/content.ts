// What a report subscription sends: the export's file (the same builders and renderers as
// GET /api/exports/...) and a few zh-CN lines with its key figures for the group robots. Every figure
// is a value the engine computed (rankings, scorecard, briefing facts, the mediation rate); this file
// only picks and formats them.
import { formatPercent, formatScore } from '../../core/format.ts';
import type { SubscriptionRow } from '../appdb/subscriptions.ts';
import { briefingReport } from '../exports/briefing-report.ts';
import { toCsv } from '../exports/csv.ts';
import { toHtml } from '../exports/html.ts';
import type { PdfRenderer } from '../exports/pdf.ts';
import type { Report } from '../exports/report.ts';
import { mediationReport, rankingsReport, scorecardReport } from '../exports/reports.ts';
import { toXlsx } from '../exports/xlsx.ts';
import type { Snapshot } from '../plugins/warehouse.ts';
import { resolveScorePeriod, type ScorePeriod } from '../queries/scores.ts';
import { newestMonth } from '../queries/months.ts';
import { findUnit } from '../queries/units.ts';
import { briefingBody } from '../services/briefing.ts';
import { rankingsBody } from '../services/rankings.ts';
import { successRateBody } from '../services/mediation.ts';
import { buildScorecard } from '../services/scorecard.ts';
import { periodName } from '../text/scorecard.ts';
import type { Message, ReportFile } from './message.ts';
import { defaultFormat, type ReportParams } from './params.ts';

const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
} as const;

export interface ContentDeps {
  snapshot: Snapshot;
  pdf: PdfRenderer;
  /** the cockpit's address for links (PUBLIC_URL) */
  baseUrl: string;
}

/** The report as a file, or nothing when the channel takes no file (pdf null). */
async function render(report: Report, format: 'pdf' | 'xlsx' | 'csv', pdf: PdfRenderer | null): Promise<ReportFile | undefined> {
  if (!pdf) return undefined;
  const content =
    format === 'csv' ? Buffer.from(toCsv(report))
    : format === 'xlsx' ? await toXlsx(report)
    : await pdf.render(toHtml(report, new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC'), { landscape: report.landscape, account: 'subscriptions' });
  return { name: `${report.filename}.${format}`, contentType: CONTENT_TYPES[format], content };
}

async function scorePeriod(snapshot: Snapshot, period: string | undefined): Promise<ScorePeriod> {
  const p = await resolveScorePeriod(snapshot.db, period);
  if (!p) throw new Error(period ? `period ${period} has no scores` : 'the warehouse has no scores yet');
  return p;
}

async function unitOf(snapshot: Snapshot, code: string) {
  const unit = await findUnit(snapshot.db, code);
  if (!unit) throw new Error(`unit ${code} is not in the snapshot`);
  return unit;
}

/** Group robots get text only: the file is made for email and the webhook. */
export const carriesFile = (sub: SubscriptionRow) => sub.channel_kind === 'email' || sub.channel_kind === 'webhook';

/** The message for a report subscription (not alerts: see alerts.ts). */
export async function reportMessage(sub: SubscriptionRow, deps: ContentDeps): Promise<Message> {
  const { snapshot, baseUrl } = deps;
  const pdf = carriesFile(sub) ? deps.pdf : null;
  const p = JSON.parse(sub.params) as ReportParams;
  const lang = p.lang ?? 'zh-CN';
  const format = p.format ?? defaultFormat(sub.report)!;
  const asOf = `数据截至 ${snapshot.info.newest_data ?? '—'}`;
  switch (sub.report) {
    case 'briefing': {
      const period = await scorePeriod(snapshot, p.period);
      const { sentences } = await briefingBody(snapshot.db, period);
      return {
        title: `本期要点（${periodName(period, 'zh-CN')}）`,
        lines: [...sentences.slice(0, 4).map((s) => s.zh), asOf],
        link: `${baseUrl}/analyst`,
        file: await render(briefingReport(snapshot, period, sentences, lang), 'pdf', pdf),
      };
    }
    case 'rankings': {
      const period = await scorePeriod(snapshot, p.period);
      const city = p.city ? await unitOf(snapshot, p.city) : null;
      const data = await rankingsBody(snapshot.db, p.set!, period, city);
      const report = await rankingsReport(snapshot, data, city, lang);
      const what = p.set === 'county47' ? '县级工会47项指标' : '产业工人队伍建设改革88项指标';
      const top = data.rows.slice(0, 3).map((r) => `${r.rank}. ${r.unit.name} ${formatScore(r.composite)}`);
      const last = data.rows.at(-1);
      return {
        title: `${data.city_name ?? '全区'}${what}排名（${periodName(period, 'zh-CN')}）`,
        lines: [
          `前三名：${top.join('，') || '—'}`,
          ...(last && data.rows.length > 3 ? [`末位：${last.rank}. ${last.unit.name} ${formatScore(last.composite)}`] : []),
          ...(data.province_composite === null ? [] : [`全区综合得分 ${formatScore(data.province_composite)}`]),
          asOf,
        ],
        link: `${baseUrl}/analyst`,
        file: await render(report, format, pdf),
      };
    }
    case 'scorecard': {
      const period = await scorePeriod(snapshot, p.period);
      const unit = await unitOf(snapshot, p.unit!);
      const card = await buildScorecard(snapshot.db, unit, period);
      const rank = card.rank ? `，全区第 ${card.rank.province}/${card.rank.province_of} 名` : '';
      return {
        title: `${unit.name}指标得分卡（${periodName(period, 'zh-CN')}）`,
        lines: [
          `综合得分 ${formatScore(card.composite)}${rank}`,
          `达标 ${card.indicators_met} 项，未达标 ${card.indicators_not_met} 项，缺失 ${card.indicators_missing} 项`,
          asOf,
        ],
        link: unit.level === 'county' ? `${baseUrl}/county?county=${unit.code}` : `${baseUrl}/analyst`,
        file: await render(await scorecardReport(snapshot, card, lang), format, pdf),
      };
    }
    case 'mediation': {
      const unit = await unitOf(snapshot, p.unit!);
      // The year to date of the newest data, as the export's default.
      const to = newestMonth(snapshot.info);
      const from = `${to.slice(0, 4)}-01`;
      const by = p.by ?? (unit.level === 'county' ? 'month' : 'county');
      const rate = await successRateBody(snapshot.db, unit, from, to, by);
      return {
        title: `${unit.name}劳动争议调解成功率（${from} 至 ${to}）`,
        lines: [`调解成功率 ${formatPercent(rate.rate)}（成功 ${rate.success} 件，不成功 ${rate.failed} 件）`, asOf],
        link: `${baseUrl}/analyst`,
        file: await render(mediationReport(snapshot, rate, by, lang), format, pdf),
      };
    }
    case 'alerts':
      throw new Error('alert pushes are built by alerts.ts');
  }
}
