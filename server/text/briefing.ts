// 本期要点: the engine's briefing facts (sql/indicators/90-briefing.sql: headline scores and figures,
// rank movers, new and cleared alerts, records) turned into a few plain sentences, Chinese and
// English, most important first. Every number comes from a fact; this file only words and formats it.
import type { BriefingFactRow, metricLabels } from '../queries/scores.ts';
import { formatNumber, formatPercent, formatScore, formatSentenceValue, type Locale as Lang } from '../../core/format.ts';

export interface BriefingSentence {
  kind: 'province' | 'mediation' | 'rank_up' | 'rank_down' | 'alerts' | 'top_alert' | 'record';
  zh: string;
  en: string;
  unit_code: string | null;
  indicator_code: string | null;
}

export interface BriefingInput {
  period: string;
  previous_period: string | null;
  facts: BriefingFactRow[];
  /** counts per kind and level; unit_level null is the kind's total */
  alert_changes: { fact_kind: string; unit_level: string | null; n: number }[];
  metrics: Awaited<ReturnType<typeof metricLabels>>;
}

const signed = (v: number) => formatScore(Math.abs(v));

const QUARTERS = ['一', '二', '三', '四'];

/** '2025' -> 2025年 / 2025; '2025-Q2' -> 2025年二季度末 / the end of 2025 Q2. */
export function periodLabel(period: string, lang: Lang): string {
  const [year, q] = period.split('-Q');
  if (lang === 'en') return q ? `the end of ${year} Q${q}` : year;
  return q ? `${year}年${QUARTERS[Number(q) - 1]}季度末` : `${year}年`;
}

export function briefingSentences(input: BriefingInput, max = 6): BriefingSentence[] {
  const out: BriefingSentence[] = [];
  const prev = input.previous_period;
  const first = (kind: BriefingFactRow['fact_kind'], level: BriefingFactRow['unit_level']) =>
    input.facts.filter((f) => f.fact_kind === kind && f.unit_level === level).sort((a, b) => a.ordinal - b.ordinal)[0];

  const province = first('province_score', 'province');
  if (province && province.value !== null) {
    const { value: composite, change } = province;
    const average = first('county_average', 'county')?.value ?? null;
    const zhChange = change === null || !prev ? '' : `，比${periodLabel(prev, 'zh-CN')}${change >= 0 ? '提高' : '下降'} ${signed(change)} 分`;
    const enChange = change === null || !prev ? '' : `, ${change >= 0 ? 'up' : 'down'} ${signed(change)} on ${periodLabel(prev, 'en')}`;
    const zhAvg = average === null ? '' : `；县级工会指标平均得分 ${formatScore(average)}`;
    const enAvg = average === null ? '' : `; the counties average ${formatScore(average)}`;
    out.push({
      kind: 'province',
      zh: `全区改革指标综合得分 ${formatScore(composite)}${zhChange}${zhAvg}。`,
      en: `The province scores ${formatScore(composite)} on the reform indicators${enChange}${enAvg}.`,
      unit_code: '450000',
      indicator_code: null,
    });
  }

  const headline = (metric: string) => input.facts.find((f) => f.fact_kind === 'headline' && f.metric === metric);
  const rate = headline('mediation_rate');
  const success = headline('mediation_success');
  if (rate && rate.value !== null) {
    const zh = [`全区劳动争议调解成功率 ${formatPercent(rate.value)}`];
    const en = [`Mediation success rate ${formatPercent(rate.value)} so far this year`];
    if (rate.change !== null) {
      zh.push(`同比${rate.change >= 0 ? '提高' : '下降'} ${signed(rate.change)} 个百分点`);
      en.push(`${rate.change >= 0 ? 'up' : 'down'} ${signed(rate.change)} points on last year`);
    }
    if (success && success.value !== null) {
      zh.push(`调解成功 ${formatSentenceValue(success.value, 'count', 'zh-CN')} 件` + (success.change === null ? '' : `，${success.change >= 0 ? '多' : '少'} ${formatSentenceValue(Math.abs(success.change), 'count', 'zh-CN')} 件`));
      en.push(`${formatSentenceValue(success.value, 'count', 'en')} cases settled` + (success.change === null ? '' : ` (${formatSentenceValue(Math.abs(success.change), 'count', 'en')} ${success.change >= 0 ? 'more' : 'fewer'})`));
    }
    out.push({ kind: 'mediation', zh: `${zh.join('，')}。`, en: `${en.join(', ')}.`, unit_code: '450000', indicator_code: null });
  }

  const count = (kind: string, level: string | null = null) =>
    input.alert_changes.find((c) => c.fact_kind === kind && c.unit_level === level)?.n ?? 0;
  const raised = count('alert_new');
  const cleared = count('alert_cleared');
  if (prev && (raised || cleared)) {
    const parts = (['county', 'city', 'province'] as const).map((l) => count('alert_new', l));
    out.push({
      kind: 'alerts',
      zh: `与${periodLabel(prev, 'zh-CN')}相比新增预警 ${raised} 项（县级 ${parts[0]}、市级 ${parts[1]}、全区 ${parts[2]}），解除 ${cleared} 项。`,
      en: `${raised} new alert${raised === 1 ? '' : 's'} since ${periodLabel(prev, 'en')} (${parts[0]} county, ${parts[1]} city, ${parts[2]} province), ${cleared} cleared.`,
      unit_code: null,
      indicator_code: null,
    });
  }

  const up = first('rank_up', 'county');
  if (up && up.change && up.change > 0) {
    out.push({
      kind: 'rank_up',
      zh: `${up.unit_name}排名上升最快，前进 ${up.change} 位，列全区第 ${up.rank} 名。`,
      en: `${up.unit_name_en} climbed fastest: up ${up.change} places to number ${up.rank} in the province.`,
      unit_code: up.unit_code,
      indicator_code: null,
    });
  }
  const down = first('rank_down', 'county');
  if (down && down.change && down.change < 0) {
    out.push({
      kind: 'rank_down',
      zh: `${down.unit_name}下降 ${-down.change} 位，列全区第 ${down.rank} 名，需关注。`,
      en: `${down.unit_name_en} fell ${-down.change} places to number ${down.rank}: worth a look.`,
      unit_code: down.unit_code,
      indicator_code: null,
    });
  }

  const alert = first('alert_new', 'province') ?? first('alert_new', 'city');
  if (alert && alert.indicator_code) {
    const f = (x: number | null, lang: Lang) => formatSentenceValue(x, alert.indicator_unit ?? 'count', lang);
    const behind = alert.alert_kind === 'behind_pace';
    out.push({
      kind: 'top_alert',
      zh: behind
        ? `${alert.unit_name}“${alert.indicator_name_zh}”进度落后：目前 ${f(alert.value, 'zh-CN')}，全年目标 ${f(alert.previous_value, 'zh-CN')}。`
        : `${alert.unit_name}“${alert.indicator_name_zh}”${alert.native_period} 环比下降 ${formatNumber(Math.abs(alert.change ?? 0), 1)}%。`,
      en: behind
        ? `${alert.unit_name_en} is behind pace on ${alert.indicator_name_en}: ${f(alert.value, 'en')} so far against ${f(alert.previous_value, 'en')} for the year.`
        : `${alert.unit_name_en}: ${alert.indicator_name_en} fell ${formatNumber(Math.abs(alert.change ?? 0), 1)}% in ${alert.native_period}.`,
      unit_code: alert.unit_code,
      indicator_code: alert.indicator_code,
    });
  }

  const record = first('record', 'province') ?? first('record', 'city');
  if (record && record.metric) {
    const m = input.metrics.find((x) => x.metric === record.metric);
    const unit = m?.unit ?? 'count';
    const best = m?.direction === 'lower_better' ? ['最好', 'best'] : ['最高', 'highest'];
    const v = (x: number | null, lang: Lang) => formatSentenceValue(x, unit, lang);
    out.push({
      kind: 'record',
      zh: `${record.unit_name}“${m?.name_zh ?? record.metric}”${record.native_period} 达 ${v(record.value, 'zh-CN')}，创历史${best[0]}（此前 ${v(record.previous_value, 'zh-CN')}）。`,
      en: `${record.unit_name_en} set a record for ${m?.name_en ?? record.metric} in ${record.native_period}: ${v(record.value, 'en')} (the ${best[1]} before: ${v(record.previous_value, 'en')}).`,
      unit_code: record.unit_code,
      indicator_code: null,
    });
  }

  return out.slice(0, max);
}

