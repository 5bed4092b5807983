// Members (sql/marts/members_county_year.sql): distinct members per plan year, a member who moved
// counties within the year counted in each of its counties, once in each of its cities and once in the
// province, whichever counties it moved between.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoringWarehouse, type Scoring } from './scoring.ts';

// 兴宁区 and 青秀区 are in 南宁市 (450100); 城中区 in 柳州市 (450200).
const [XINGNING, QINGXIU, CHENGZHONG] = ['450102', '450103', '450202'];

describe('members', () => {
  let s: Scoring;
  beforeAll(async () => {
    s = await scoringWarehouse();
    const enrolments: [member: string, county: string, year: number, plan: string, yuan: number][] = [
      ['A', XINGNING, 2023, 'inpatient', 100], // stays, two plans: one member
      ['A', XINGNING, 2023, 'accident', 20],
      ['B', XINGNING, 2023, 'inpatient', 100], // moves within 南宁
      ['B', QINGXIU, 2023, 'accident', 20],
      ['C', QINGXIU, 2023, 'inpatient', 100], // three counties in two cities: 青秀 lies between the others' codes
      ['C', XINGNING, 2023, 'accident', 20],
      ['C', CHENGZHONG, 2023, 'critical_illness', 50],
      ['D', CHENGZHONG, 2022, 'inpatient', 100], // the year before
    ];
    await s.exec(
      `INSERT INTO fact_insurance_enrolment VALUES ${enrolments
        .map(([m, c, y, p, yuan], i) => `('${m}', '${c}', ${y}, '${p}', DATE '${y}-03-01', ${yuan}, 1, ${i + 2})`)
        .join(', ')}`,
    );
    await s.score();
  });
  afterAll(() => s.close());

  const members = (table: string, unit: string) =>
    s.all<{ unit: string; year: number; members: number; enrolments: number; yuan: number }>(
      `SELECT ${unit} AS unit, year, members, enrolments, contribution_yuan::DOUBLE AS yuan FROM ${table} ORDER BY unit, year`,
    );

  it('counts a mover in each county it enrolled in that year', async () => {
    expect(await members('mart_members_county_year', 'county_code')).toEqual([
      { unit: XINGNING, year: 2023, members: 3, enrolments: 4, yuan: 240 },
      { unit: QINGXIU, year: 2023, members: 2, enrolments: 2, yuan: 120 },
      { unit: CHENGZHONG, year: 2022, members: 1, enrolments: 1, yuan: 100 },
      { unit: CHENGZHONG, year: 2023, members: 1, enrolments: 1, yuan: 50 },
    ]);
  });

  it('counts a mover once in each city', async () => {
    expect(await members('mart_members_city_year', 'city_code')).toEqual([
      { unit: '450100', year: 2023, members: 3, enrolments: 6, yuan: 360 },
      { unit: '450200', year: 2022, members: 1, enrolments: 1, yuan: 100 },
      { unit: '450200', year: 2023, members: 1, enrolments: 1, yuan: 50 },
    ]);
  });

  it('counts every member once in the province', async () => {
    expect(await members('mart_members_province_year', "'450000'")).toEqual([
      { unit: '450000', year: 2022, members: 1, enrolments: 1, yuan: 100 },
      { unit: '450000', year: 2023, members: 3, enrolments: 7, yuan: 410 },
    ]);
  });

  it('leaves none of its working tables behind', async () => {
    expect(await s.all(`SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'member_%'`)).toEqual([]);
  });
});
