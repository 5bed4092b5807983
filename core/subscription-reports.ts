// What a subscription can send and where: the reports with the parameters and file formats each
// takes (the first format is the default), and the channel kinds. The server checks subscriptions
// against these and the analyst's page builds its form from them.
export const REPORTS = ['briefing', 'rankings', 'scorecard', 'mediation', 'alerts'] as const;
export type ReportKind = (typeof REPORTS)[number];

export const CHANNEL_KINDS = ['email', 'dingtalk', 'wecom', 'feishu', 'webhook'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export type ReportParamKey = 'lang' | 'period' | 'set' | 'city' | 'unit' | 'by' | 'format';
export type ReportFormat = 'pdf' | 'xlsx' | 'csv';

export const REPORT_PARAMS: Record<ReportKind, { keys: readonly ReportParamKey[]; formats: readonly ReportFormat[] }> = {
  briefing: { keys: ['lang', 'period'], formats: ['pdf'] },
  rankings: { keys: ['lang', 'period', 'set', 'city', 'format'], formats: ['xlsx', 'pdf', 'csv'] },
  scorecard: { keys: ['lang', 'period', 'unit', 'format'], formats: ['pdf', 'xlsx', 'csv'] },
  mediation: { keys: ['lang', 'unit', 'by', 'format'], formats: ['xlsx', 'pdf', 'csv'] },
  alerts: { keys: ['lang'], formats: [] },
};
