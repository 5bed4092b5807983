// How far each of the province's record streams reaches in a snapshot: the newest month with data,
// for panels that say when their figures are older than the rest. Mediation's is the engine's
// (unit_data_quality, sql/indicators/95-data-quality.sql); enrolment, which that table does not
// follow, is the newest enrolment date's month.
import { sql } from 'kysely';
import type { WarehouseDb } from './warehouse.ts';

export interface NewestMonths {
  /** YYYY-MM, null without records */
  mediation: string | null;
  enrolment: string | null;
}

export async function provinceNewestMonths(db: WarehouseDb): Promise<NewestMonths> {
  const [quality, enrolment] = await Promise.all([
    db.selectFrom('unit_data_quality').where('unit_code', '=', '450000').select('newest_mediation_month').executeTakeFirst(),
    db.selectFrom('fact_insurance_enrolment').select(sql<string | null>`strftime(max(enrolled_date), '%Y-%m')`.as('month')).executeTakeFirst(),
  ]);
  return { mediation: quality?.newest_mediation_month ?? null, enrolment: enrolment?.month ?? null };
}
