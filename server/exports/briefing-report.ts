// 本期要点 as a report (the subscriptions' briefing PDF): the sentences GET /api/briefing answers, one
// per row, from the engine's briefing facts. Nothing is computed here; text/briefing.ts words the facts.
import type { Snapshot } from '../plugins/warehouse.ts';
import { alertChanges, briefingFacts, metricLabels, type ScorePeriod } from '../queries/scores.ts';
import { briefingSentences, type BriefingSentence } from '../text/briefing.ts';
import { periodName } from '../text/scorecard.ts';
import { t, type Lang, type Report } from './report.ts';

export async function briefingOf(snapshot: Snapshot, p: ScorePeriod): Promise<BriefingSentence[]> {
  const { db } = snapshot;
  const [facts, changes, metrics] = await Promise.all([briefingFacts(db, p.period), alertChanges(db, p.period), metricLabels(db)]);
  return briefingSentences({ period: p.period, previous_period: p.previous_period, facts, alert_changes: changes, metrics });
}

export function briefingReport(snapshot: Snapshot, p: ScorePeriod, sentences: BriefingSentence[], lang: Lang): Report {
  const { id, info } = snapshot;
  return {
    filename: `briefing-${p.period}`,
    title: t(lang, `本期要点（${periodName(p, lang)}）`, `Briefing, ${periodName(p, lang)}`),
    notes: [
      t(lang, `考核期：${p.period_start} 至 ${p.period_end}`, `Period: ${p.period_start} to ${p.period_end}`),
      t(lang, `数据快照 ${id}，数据截至 ${info.newest_data ?? '—'}`, `Snapshot ${id}, data to ${info.newest_data ?? '—'}`),
    ],
    columns: [
      { key: 'n', header: t(lang, '序号', 'No.'), type: 'integer' },
      { key: 'text', header: t(lang, '要点', 'Point'), type: 'text', wrap: true, width: 80 },
    ],
    rows: sentences.map((s, i) => ({ n: i + 1, text: lang === 'en' ? s.en : s.zh })),
    lang,
  };
}
