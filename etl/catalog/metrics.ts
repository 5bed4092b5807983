// The finite list of metrics computed in SQL from the record streams. A stream-sourced indicator in
// the catalog names one of these; each is implemented once in sql/indicators/<name>.sql.
//
// Conventions for every metric:
// - It is computed per unit (county; a city or the province sums the underlying counts and amounts,
//   and recomputes rates from summed numerators and denominators, never averages county rates) and
//   per period (year, quarter or month, as the indicator's period says).
// - Records fall into a period by the date named in the definition.
// - Percentages are in percent points (72.2 means 72.20%), like reported values; a rate whose
//   denominator is zero is NULL (missing), not 0.
import type { Unit } from '../../core/catalog-vocabulary.ts';
import type { StreamSource } from './schema.ts';
import type { StreamName } from '../../core/contract.ts';

export interface Metric {
  name: string;
  /** The catalog `source` an indicator using this metric must have. */
  source: StreamSource;
  /** The contract stream(s) (core/contract.ts) the SQL reads. */
  streams: readonly StreamName[];
  unit: Unit;
  definition: string;
  /** The overview tile (sql/indicators/22-overview-tile.sql) showing a metric no indicator scores. */
  overviewTile?: string;
}

const metricList = [
  // mediation: labour-dispute mediation cases
  {
    name: 'mediation_success_rate',
    source: 'mediation',
    streams: ['mediation'],
    unit: 'percent',
    definition: 'cases closed in the period with outcome success / those with outcome success or failed x 100, by closed_date (withdrawn and pending are outside the denominator)',
  },
  {
    name: 'mediation_successes',
    source: 'mediation',
    streams: ['mediation'],
    unit: 'count',
    definition: 'cases with outcome success, by closed_date',
  },
  {
    name: 'wage_mediation_successes',
    source: 'mediation',
    streams: ['mediation'],
    unit: 'count',
    definition: 'cases with dispute_type wages and outcome success, by closed_date',
  },
  {
    name: 'mediation_success_amount',
    source: 'mediation',
    streams: ['mediation'],
    unit: 'yuan',
    definition: 'sum of amount_yuan of cases with outcome success, by closed_date (an empty amount counts as 0)',
  },
  {
    name: 'mediation_days_to_close',
    source: 'mediation',
    streams: ['mediation'],
    unit: 'days',
    definition: 'mean of closed_date - received_date in days over cases with outcome success or failed, by closed_date',
  },
  // insurance: medical mutual-aid enrolments and claims
  {
    name: 'members',
    source: 'insurance',
    streams: ['insurance_enrolment'],
    unit: 'count',
    definition: 'distinct member_id enrolled with plan_year = the year (any plan)',
  },
  {
    name: 'member_growth',
    source: 'insurance',
    streams: ['insurance_enrolment'],
    unit: 'percent',
    definition: '(members of the year / members of the previous year - 1) x 100; NULL without previous-year members',
  },
  {
    name: 'claims_days_to_pay',
    source: 'insurance',
    streams: ['insurance_claim'],
    unit: 'days',
    definition: 'mean of paid_date - submitted_date in days over claims with status paid, by paid_date',
  },
  {
    name: 'claims_paid_amount',
    source: 'insurance',
    streams: ['insurance_claim'],
    unit: 'yuan',
    definition: 'sum of amount_yuan of claims with status paid, by paid_date',
  },
  {
    name: 'claims_paid_count',
    source: 'insurance',
    streams: ['insurance_claim'],
    unit: 'count',
    definition: 'claims with status paid, by paid_date (受益人次: person-times, a member paid twice counts twice)',
  },
  {
    name: 'claims_beneficiary_people',
    source: 'insurance',
    streams: ['insurance_claim'],
    unit: 'count',
    definition: 'distinct member_id with a claim paid in the period, by paid_date (受益职工: people, a member paid twice counts once)',
    overviewTile: 'claims_beneficiaries',
  },
  // assistance: hardship assistance cases
  {
    name: 'assistance_referral_share',
    source: 'assistance',
    streams: ['assistance'],
    unit: 'percent',
    definition: 'cases opened with channel referral (一门受理转介) / all cases opened x 100, by opened_date',
  },
  {
    name: 'assistance_resolved_rate',
    source: 'assistance',
    streams: ['assistance'],
    unit: 'percent',
    definition: 'cases with status resolved and closed_date in the period / cases on file during the period (opened_date <= period end and closed_date empty or >= period start) x 100',
  },
  {
    name: 'assistance_resolved',
    source: 'assistance',
    streams: ['assistance'],
    unit: 'count',
    definition: 'cases with status resolved, by closed_date (困难职工解困)',
    overviewTile: 'hardship_resolved',
  },
  {
    name: 'assistance_aid_paid',
    source: 'assistance',
    streams: ['assistance'],
    unit: 'yuan',
    definition: 'sum of aid_yuan, by opened_date (the stream carries no payment date)',
  },
  // training: skills training, competitions and certification
  {
    name: 'training_participants',
    source: 'training',
    streams: ['training'],
    unit: 'count',
    definition: 'records of kind training, by date (人次: a person trained twice counts twice)',
  },
  {
    name: 'competition_participants',
    source: 'training',
    streams: ['training'],
    unit: 'count',
    definition: 'records of kind competition, by date (人次)',
  },
  {
    name: 'certifications',
    source: 'training',
    streams: ['training'],
    unit: 'count',
    definition: 'distinct person_id with a record of kind certification and certified true, by date',
  },
  {
    name: 'competition_certifications',
    source: 'training',
    streams: ['training'],
    unit: 'count',
    definition: 'distinct person_id with a record of kind competition and certified true (certified or promoted through a competition), by date',
  },
  {
    name: 'senior_certified_share',
    source: 'training',
    streams: ['training'],
    unit: 'percent',
    definition: 'records with certified true and skill_level senior (高级工) or above / records with certified true and a skill_level x 100, by date',
  },
  // funding: subsidy disbursements
  {
    name: 'strengthening_subsidy_disbursed_rate',
    source: 'funding',
    streams: ['funding'],
    unit: 'percent',
    definition: 'amount_yuan of program county_strengthening disbursed to the county from 1 January to the period end / the year\'s allocation (100,000 yuan per county) x 100',
  },
  {
    name: 'service_complex_city_match_share',
    source: 'funding',
    streams: ['funding'],
    unit: 'percent',
    definition: 'amount_yuan of program service_complex with source city_match / that with source acftu or regional_federation, to the county from 1 January to the period end, x 100 (pilots only)',
  },
] as const satisfies readonly Metric[];

export type MetricName = (typeof metricList)[number]['name'];
export const metrics: readonly Metric[] = metricList;
export const metricsByName: ReadonlyMap<string, Metric> = new Map(metrics.map((m) => [m.name, m]));
