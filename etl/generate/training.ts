// training: skills training, competitions and skill certification, about 200 thousand records a year
// at scale 1. People come from a per-county pool, so the same person_id trains, competes and gets
// certified over the years. Better counties certify a larger share and at higher levels. Classes pause
// around the Spring Festival (by its lunar date) and the golden week, thin out in the summer heat and
// fill up in spring and autumn; months and county-months vary with noise, counties drift with their trend.
import { enums } from '../../core/contract.ts';
import { dayOf, daysInMonth } from './calendar.ts';
import { qualityIn, volumeWeight } from './counties.ts';
import { enumIndex, monthSpan, type GenContext } from './context.ts';
import { Rng, allocate, cumulative, weighted } from './random.ts';
import { SeasonYear, type SeasonShape } from './season.ts';

export const trainingRecords: Record<number, number> = {
  2020: 150_000,
  2021: 180_000,
  2022: 195_000,
  2023: 210_000,
  2024: 220_000,
  2025: 228_000,
  2026: 235_000,
};
const season: SeasonShape = {
  months: [0, 0.85, 0.8, 1.05, 1.1, 1.15, 1.1, 0.9, 0.85, 1.1, 1.0, 1.15, 1.0],
  preFestival: 0.85,
  noise: 0.06,
};
const COUNTY_NOISE = 0.15;

const kind = enumIndex(enums.trainingKind);
const kindCum = cumulative([72, 8, 20]); // training, competition, certification

// Skill levels in enum order: apprentice, junior, intermediate, senior, technician, senior_technician,
// principal_technician, chief_technician.
const levelCumByKind = [
  cumulative([10, 45, 30, 12, 3, 0, 0, 0]),
  cumulative([0, 5, 30, 35, 20, 8, 1.2, 0.8]),
  cumulative([5, 35, 30, 18, 8, 3, 0.6, 0.4]),
];

const programs = [
  [
    '电工技能培训', '焊工技能培训', '养老护理员培训', '育婴员培训', '电子商务直播培训', '汽车维修工培训', '家政服务员培训',
    '中式烹调师培训', '茶艺师培训', '网约配送员安全培训', '农村电商培训', '砌筑工培训', '钳工技能提升培训', '数控车床操作培训',
    '安全生产知识培训', '劳动法律知识培训', '快递员职业技能培训', '桂绣技艺培训', '螺蛳粉制作技艺培训', '民族服饰制作培训',
  ],
  [
    '全区职工职业技能大赛', '市级职工技能竞赛', '县级劳动技能竞赛', '焊工技能比武', '电工技能大赛', '养老护理职业技能竞赛',
    '数控技能竞赛', '茶艺技能竞赛', '快递员技能比武', '网约配送员技能竞赛',
  ],
  ['电工职业技能等级认定', '焊工职业技能等级认定', '养老护理员职业技能等级认定', '中式烹调师职业技能等级认定', '育婴员职业技能等级认定', '企业自主技能等级评价', '汽车维修工职业技能等级认定', '钳工职业技能等级认定'],
];

export function generateTraining(ctx: GenContext): void {
  const { counties, window, scale, seed } = ctx;
  const n = counties.codes.length;
  const v: any[] = new Array(8);
  for (const year of window.years) {
    const rng = new Rng(seed, 'training', year);
    const w = ctx.file('training', year);
    const total = Math.round((trainingRecords[year] ?? 235_000 * 1.03 ** (year - 2026)) * scale);
    const sy = new SeasonYear(year, season, new Rng(seed, 'training-season', year));
    const months = allocate(total, sy.months.subarray(1));
    const weights = new Float64Array(n);
    const certBoost = new Float64Array(n);
    const pool = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const q = qualityIn(counties, i, year);
      certBoost[i] = 0.08 * q;
      // People in the county's pool: grows each year, so some ids recur and some are new.
      pool[i] = Math.max(20, Math.round(counties.weight[i]! * 1_400 * scale * (1 + 0.12 * (year - 2020))));
    }
    let seq = 0;
    for (let month = 1; month <= 12; month++) {
      const first = dayOf(year, month, 1);
      const span = monthSpan(ctx, first, daysInMonth(year, month));
      if (span.days === 0) break;
      const t = year + (month - 0.5) / 12;
      for (let i = 0; i < n; i++) weights[i] = volumeWeight(counties, i, t) * (1 + 0.15 * qualityIn(counties, i, t)) * Math.exp(COUNTY_NOISE * rng.normal());
      const perCounty = allocate(Math.round(months[month - 1]! * span.share), weights);
      for (let i = 0; i < n; i++) {
        const code = counties.codes[i]!;
        const prefix = 'P' + code.slice(2);
        for (let j = 0; j < perCounty[i]!; j++) {
          const k = weighted(rng, kindCum);
          let level = -1;
          let certified = 0;
          const u = rng.float();
          if (k === kind.training) {
            if (u < 0.6) level = weighted(rng, levelCumByKind[0]!);
            certified = level >= 0 && rng.float() < 0.5 + certBoost[i]! ? 1 : 0;
          } else if (k === kind.competition) {
            level = weighted(rng, levelCumByKind[1]!);
            certified = u < 0.15 + certBoost[i]! ? 1 : 0;
          } else {
            level = weighted(rng, levelCumByKind[2]!);
            if (certBoost[i]! > 0 && level < 4 && rng.float() < certBoost[i]!) level++;
            certified = u < 0.86 + certBoost[i]! ? 1 : 0;
          }
          seq++;
          v[0] = `PX${year}${String(seq).padStart(7, '0')}`;
          v[1] = code;
          v[2] = prefix + String(100_000 + rng.int(pool[i]!));
          v[3] = k;
          v[4] = rng.pick(programs[k]!);
          v[5] = sy.dayIn(rng, month, span.days);
          v[6] = level;
          v[7] = certified;
          w.row(v);
        }
      }
    }
  }
}
