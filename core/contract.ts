// The data contract (docs/data-contract.md) as data: every stream's columns, their Chinese and English
// headers, value kinds and rules. The loader compiles this into validating SQL, the generator writes
// files from it, the server's templates (server/reporting/template.ts) lay out their sheets from it, and
// the tests walk it. Change the contract here and nowhere else.

export type ValueKind =
  | { kind: 'text'; maxLength: number }
  | { kind: 'county' } // one of the 111 county-level codes
  | { kind: 'unit' } // a county or a prefecture-city code ("county or city" columns)
  | { kind: 'date' }
  | { kind: 'amount'; positive?: boolean } // yuan, >= 0 (or > 0), at most 2 decimals
  | { kind: 'integer'; min: number; max: number }
  | { kind: 'enum'; values: Record<string, string>; synonyms?: Record<string, string> } // code -> label; other wording -> code
  | { kind: 'boolean' }
  | { kind: 'period' } // 2023, 2023-Q2, 2023-07
  | { kind: 'number' } // reported indicator values; "95%" means 95
  | { kind: 'indicator' }; // a catalog code

export interface Column {
  name: string; // english header and warehouse column name
  zh: string; // chinese header
  value: ValueKind;
  required: boolean;
}

/** A rule across columns of one row, written as SQL over the typed row; true means the row breaks it. */
export interface RowRule {
  column: string; // the column a data officer should look at
  broken: string;
  reason: string;
}

export interface Stream {
  name: StreamName;
  zh: string;
  table: string;
  columns: Column[];
  key: string[];
  rules: RowRule[];
}

export const streamNames = [
  'mediation',
  'insurance_enrolment',
  'insurance_claim',
  'assistance',
  'training',
  'funding',
  'indicator_value',
] as const;
export type StreamName = (typeof streamNames)[number];

const id = (name: string, zh: string): Column => ({ name, zh, value: { kind: 'text', maxLength: 64 }, required: true });
const col = (name: string, zh: string, value: ValueKind, required = true): Column => ({ name, zh, value, required });
const enumOf = (values: Record<string, string>, synonyms?: Record<string, string>): ValueKind => ({ kind: 'enum', values, synonyms });

export const enums = {
  disputeType: { wages: '劳动报酬', social_insurance: '社会保险', contract: '劳动合同', injury: '工伤', other: '其他' },
  mediationChannel: { court: '法院', union: '工会', hrss: '人社', other: '其他' },
  mediationOutcome: { success: '成功', failed: '失败', withdrawn: '撤回', pending: '在办' },
  claimStatus: { paid: '已支付', rejected: '不予补助', pending: '审核中' },
  plan: {
    inpatient: '住院',
    special_disease: '特殊病种',
    accident: '意外伤害',
    critical_illness: '重大疾病',
    women_special_disease: '女职工特殊疾病',
  },
  hardshipLevel: { deep: '深度困难', relative: '相对困难', sudden: '意外致困' },
  hardshipCause: { illness: '疾病', disability: '残疾', schooling: '子女就学', unemployment: '失业', disaster: '灾害', other: '其他' },
  assistanceChannel: { union: '工会受理', referral: '一门受理转介', online: '线上申请' },
  assistanceStatus: { active: '在档', resolved: '解困脱困', exited: '退出' },
  trainingKind: { training: '培训', competition: '竞赛', certification: '技能认定' },
  skillLevel: {
    apprentice: '学徒工',
    junior: '初级工',
    intermediate: '中级工',
    senior: '高级工',
    technician: '技师',
    senior_technician: '高级技师',
    principal_technician: '特级技师',
    chief_technician: '首席技师',
  },
  fundingProgram: {
    county_strengthening: '县级工会加强年',
    workers_palace: '工人文化宫',
    service_complex: '服务职工综合体',
    outdoor_station: '工会驿站',
    hardship: '困难帮扶',
    other: '其他',
  },
  fundingSource: { acftu: '全国总工会', regional_federation: '自治区总工会', finance: '财政', city_match: '市总配套' },
} as const;

/**
 * Other wording county ledgers use for an enumerated value, accepted as that value: a closed list, each
 * entry the same outcome in the words of the office's own mediation or claims ledger, never a guess
 * between two codes (docs/data-contract.md, "Synonyms", says why and what stays refused).
 */
export const synonyms = {
  mediationOutcome: {
    调解成功: 'success',
    已调解成功: 'success',
    成功调解: 'success',
    调解失败: 'failed',
    调解不成功: 'failed',
    未调解成功: 'failed',
    已撤回: 'withdrawn',
    撤回申请: 'withdrawn',
    申请人撤回: 'withdrawn',
    调解中: 'pending',
    正在调解: 'pending',
    办理中: 'pending',
    未结案: 'pending',
  },
  claimStatus: { 已发放: 'paid', 待审核: 'pending' },
} as const satisfies Partial<Record<keyof typeof enums, Record<string, string>>>;

export const streams: Record<StreamName, Stream> = {
  mediation: {
    name: 'mediation',
    zh: '劳动争议调解案件',
    table: 'fact_mediation',
    key: ['case_id'],
    columns: [
      id('case_id', '案件编号'),
      col('county_code', '县区代码', { kind: 'county' }),
      col('received_date', '受理日期', { kind: 'date' }),
      col('closed_date', '结案日期', { kind: 'date' }, false),
      col('dispute_type', '争议类型', enumOf(enums.disputeType)),
      col('channel', '调解渠道', enumOf(enums.mediationChannel)),
      col('outcome', '调解结果', enumOf(enums.mediationOutcome, synonyms.mediationOutcome)),
      col('workers', '涉及职工人数', { kind: 'integer', min: 1, max: 100_000 }),
      col('amount_yuan', '涉案金额', { kind: 'amount' }, false),
    ],
    rules: [
      { column: 'closed_date', broken: 'closed_date < received_date', reason: '结案日期早于受理日期 / closed_date is before received_date' },
      { column: 'closed_date', broken: "outcome = 'pending' AND closed_date IS NOT NULL", reason: '在办案件不应有结案日期 / a pending case must not have a closed_date' },
      { column: 'closed_date', broken: "outcome <> 'pending' AND closed_date IS NULL", reason: '已结案件缺少结案日期 / a closed case (success, failed, withdrawn) needs a closed_date' },
    ],
  },
  insurance_enrolment: {
    name: 'insurance_enrolment',
    zh: '职工医疗互助参保',
    table: 'fact_insurance_enrolment',
    key: ['member_id', 'plan_year', 'plan'],
    columns: [
      id('member_id', '会员编号'),
      col('county_code', '县区代码', { kind: 'county' }),
      col('plan_year', '参保年度', { kind: 'integer', min: 2015, max: 2100 }),
      col('plan', '保障项目', enumOf(enums.plan)),
      col('enrolled_date', '参保日期', { kind: 'date' }),
      col('contribution_yuan', '缴费金额', { kind: 'amount' }),
    ],
    rules: [],
  },
  insurance_claim: {
    name: 'insurance_claim',
    zh: '互助补助申请',
    table: 'fact_insurance_claim',
    key: ['claim_id'],
    columns: [
      id('claim_id', '申请编号'),
      id('member_id', '会员编号'),
      col('county_code', '县区代码', { kind: 'county' }),
      col('plan_year', '参保年度', { kind: 'integer', min: 2015, max: 2100 }),
      col('submitted_date', '申请日期', { kind: 'date' }),
      col('paid_date', '支付日期', { kind: 'date' }, false),
      col('amount_yuan', '补助金额', { kind: 'amount' }),
      col('status', '状态', enumOf(enums.claimStatus, synonyms.claimStatus)),
    ],
    rules: [
      { column: 'paid_date', broken: "status = 'paid' AND paid_date IS NULL", reason: '已支付申请缺少支付日期 / a paid claim needs a paid_date' },
      { column: 'paid_date', broken: 'paid_date < submitted_date', reason: '支付日期早于申请日期 / paid_date is before submitted_date' },
    ],
  },
  assistance: {
    name: 'assistance',
    zh: '困难职工帮扶',
    table: 'fact_assistance',
    key: ['case_id'],
    columns: [
      id('case_id', '档案编号'),
      col('county_code', '县区代码', { kind: 'county' }),
      col('opened_date', '建档日期', { kind: 'date' }),
      col('level', '困难类别', enumOf(enums.hardshipLevel)),
      col('cause', '致困原因', enumOf(enums.hardshipCause)),
      col('channel', '受理渠道', enumOf(enums.assistanceChannel)),
      col('aid_yuan', '帮扶金额', { kind: 'amount' }),
      col('status', '状态', enumOf(enums.assistanceStatus)),
      col('closed_date', '销档日期', { kind: 'date' }, false),
    ],
    rules: [
      { column: 'closed_date', broken: "status <> 'active' AND closed_date IS NULL", reason: '已销档案件缺少销档日期 / a resolved or exited case needs a closed_date' },
      { column: 'closed_date', broken: 'closed_date < opened_date', reason: '销档日期早于建档日期 / closed_date is before opened_date' },
    ],
  },
  training: {
    name: 'training',
    zh: '技能培训与竞赛',
    table: 'fact_training',
    key: ['record_id'],
    columns: [
      id('record_id', '记录编号'),
      col('county_code', '县区代码', { kind: 'county' }),
      id('person_id', '人员编号'),
      col('kind', '类型', enumOf(enums.trainingKind)),
      col('program', '项目名称', { kind: 'text', maxLength: 200 }),
      col('date', '日期', { kind: 'date' }),
      col('skill_level', '技能等级', enumOf(enums.skillLevel), false),
      col('certified', '是否取证', { kind: 'boolean' }),
    ],
    rules: [],
  },
  funding: {
    name: 'funding',
    zh: '经费补助拨付',
    table: 'fact_funding',
    key: ['grant_id'],
    columns: [
      id('grant_id', '拨付编号'),
      col('recipient_code', '接收单位代码', { kind: 'unit' }),
      col('program', '项目', enumOf(enums.fundingProgram)),
      col('source', '资金来源', enumOf(enums.fundingSource)),
      col('amount_yuan', '金额', { kind: 'amount', positive: true }),
      col('disbursed_date', '拨付日期', { kind: 'date' }),
    ],
    rules: [],
  },
  indicator_value: {
    name: 'indicator_value',
    zh: '指标填报',
    table: 'fact_indicator_value',
    key: ['indicator_code', 'unit_code', 'period'],
    columns: [
      col('indicator_code', '指标编码', { kind: 'indicator' }),
      col('unit_code', '单位代码', { kind: 'unit' }),
      col('period', '期间', { kind: 'period' }),
      col('value', '数值', { kind: 'number' }),
    ],
    rules: [],
  },
};

/**
 * The column naming the unit a row is reported for: the county code, or where a city may appear
 * (funding recipients, indicator values) the unit code. A county account's template fills it in.
 */
export function reportingUnitColumn(stream: Stream): Column {
  const c = stream.columns.find((c) => c.value.kind === 'county') ?? stream.columns.find((c) => c.value.kind === 'unit');
  if (!c) throw new Error(`stream ${stream.name} names no reporting unit`);
  return c;
}
