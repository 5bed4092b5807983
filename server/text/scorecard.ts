// What a county union reads beside each indicator of its scorecard, and the data-quality notes: plain
// sentences in Chinese and English from the engine's numbers.
import type { ScoredIndicator } from '../queries/scores.ts';
import { formatGap, formatTarget, formatSentenceValue, formatPoints, type Locale as Lang } from '../../core/format.ts';

const REASONS: Record<string, [string, string]> = {
  no_records: ['本期无业务记录', 'no records in the period'],
  no_report: ['未报送', 'not reported'],
  not_due: ['考核期尚未结束', 'its period has not ended yet'],
  not_pilot: ['非试点县', 'not a pilot county'],
  no_baseline: ['无上年同期数据可比', 'no value a year earlier to compare with'],
  no_program: ['本地无此项目', 'no such programme here'],
  not_at_level: ['本级不考核', 'not scored at this level'],
};

export const reasonText = (reason: string | null, lang: Lang) => {
  const r = reason ? REASONS[reason] : undefined;
  return r ? r[lang === 'en' ? 1 : 0] : (reason ?? '');
};

function projectionText(i: ScoredIndicator, lang: Lang): string {
  if (i.projection_method === null || i.projection_method === 'current_value' || i.projected_value === null) return '';
  const v = formatSentenceValue(i.projected_value, i.unit, lang);
  if (lang === 'en') return `; on current pace ${v} by year end${i.will_meet === true ? ', enough to meet the target' : i.will_meet === false ? ', still short' : ''}`;
  return `；按当前进度全年预计${v}${i.will_meet === true ? '，可以达标' : i.will_meet === false ? '，仍难达标' : ''}`;
}

export function indicatorExplanation(i: ScoredIndicator, lang: Lang): string {
  const en = lang === 'en';
  const value = formatSentenceValue(i.value, i.unit, lang);
  const target = formatTarget(i, i.direction, i.unit, lang);
  switch (i.status) {
    case 'met':
      return en ? `Met: ${value} against a target of ${target}; ${formatPoints(i.points, lang)}.` : `达标：${value}，目标${target}，得${formatPoints(i.points, lang)}。`;
    case 'not_met': {
      const gap = i.gap;
      const gapText = gap === null ? '' : en ? `, ${formatGap(gap, i.unit, lang)} short` : `，差${formatGap(gap, i.unit, lang)}`;
      return en
        ? `Not met: ${value} against a target of ${target}${gapText}; ${formatPoints(i.points_lost, lang)} lost${projectionText(i, lang)}.`
        : `未达标：${value}，目标${target}${gapText}，失${formatPoints(i.points_lost, lang)}${projectionText(i, lang)}。`;
    }
    case 'missing': {
      const reports =
        i.reports_missing && i.reports_due ? (en ? ` (${i.reports_missing} of ${i.reports_due} reports missing)` : `（应报${i.reports_due}期，缺${i.reports_missing}期）`) : '';
      return en
        ? `Missing: ${reasonText(i.status_reason, lang)}${reports}; ${formatPoints(i.points_lost, lang)} lost.`
        : `缺失：${reasonText(i.status_reason, lang)}${reports}，失${formatPoints(i.points_lost, lang)}。`;
    }
    case 'not_due':
      return en
        ? `Not yet due: ${reasonText(i.status_reason, lang)}; it is not in this composite yet.`
        : `未到期：${reasonText(i.status_reason, lang)}，暂不计入本期综合得分。`;
    default:
      return en
        ? `Not applicable: ${reasonText(i.status_reason, lang)}; its weight goes to the other indicators.`
        : `不适用：${reasonText(i.status_reason, lang)}，权重分摊到其他指标。`;
  }
}

export interface DataQualityInput {
  reports_expected: number;
  reports_late: number;
  missing_reports: string[];
  newest_data_month: string | null;
  months_behind: number | null;
  rows_rejected_recent: number;
}

export interface DataQualityNote {
  code: string | null;
  period: string | null;
  message_zh: string;
  message_en: string;
}

/** What to fix in the reporting, most important first. `names` maps indicator codes to [zh, en]. */
export function dataQualityNotes(dq: DataQualityInput | undefined, names: Map<string, [string, string]>): DataQualityNote[] {
  if (!dq) return [];
  const notes: DataQualityNote[] = [];
  for (const entry of dq.missing_reports ?? []) {
    const [code, period = null] = entry.split(' ');
    const [zh, en] = names.get(code) ?? [code, code];
    notes.push({
      code,
      period,
      message_zh: `${code} ${zh}：${period ?? ''}未报送`,
      message_en: `${code} ${en}: the report for ${period ?? 'the period'} is missing`,
    });
  }
  if (dq.rows_rejected_recent > 0) {
    notes.push({
      code: null,
      period: null,
      message_zh: `近期导入的数据有 ${dq.rows_rejected_recent} 行被拒绝，请核对后重新报送`,
      message_en: `${dq.rows_rejected_recent} rows of recent files were rejected: check them and send them again`,
    });
  }
  if (dq.months_behind) {
    notes.push({
      code: null,
      period: dq.newest_data_month,
      message_zh: `业务数据滞后 ${dq.months_behind} 个月（最新数据为 ${dq.newest_data_month ?? '无'}）`,
      message_en: `Record data is ${dq.months_behind} month${dq.months_behind > 1 ? 's' : ''} behind (newest: ${dq.newest_data_month ?? 'none'})`,
    });
  }
  // late = a county submission first sent after the due date; central loads and corrections are not late
  if (dq.reports_late > 0) {
    notes.push({
      code: null,
      period: null,
      message_zh: `近两年有 ${dq.reports_late} 份报表首次报送晚于截止日期（应报 ${dq.reports_expected} 份）`,
      message_en: `${dq.reports_late} of ${dq.reports_expected} reports in the last two years were first submitted after the deadline`,
    });
  }
  return notes;
}

/** What a composite covers: "综合得分覆盖 16/47 项指标" (the others are not due or not applicable). */
export const coverageText = (scored: number, total: number, lang: Lang) =>
  lang === 'en' ? `Composite covers ${scored} of ${total} indicators` : `综合得分覆盖 ${scored}/${total} 项指标`;

/** A scoring period by name: the last complete year is its final result (2025 年度终评), the running year its year to date. */
export function periodName(p: { period: string; period_scope: string }, lang: Lang): string {
  if (p.period_scope === 'final') return lang === 'en' ? `${p.period} final result` : `${p.period} 年度终评`;
  if (p.period_scope === 'year_to_date') return lang === 'en' ? `${p.period} year to date` : `${p.period} 年初至今`;
  return p.period;
}
