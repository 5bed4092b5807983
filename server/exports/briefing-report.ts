// 本期要点 as a report (the subscriptions' briefing PDF): the sentences GET /api/briefing answers, one
// per row (services/briefing.ts makes them from the engine's briefing facts). Nothing is computed here.
import type { Snapshot } from '../plugins/warehouse.ts';
import type { ScorePeriod } from '../queries/scores.ts';
import type { BriefingSentence } from '../text/briefing.ts';
import { periodName } from '../text/scorecard.ts';
import { t, type Lang, type Report } from './report.ts';

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
