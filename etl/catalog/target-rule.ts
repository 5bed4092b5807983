// Target rules as the federation writes them in the catalog, parsed into a typed AST.
//
//   >= 90%   >= 1.2   <= 15   <= 15%        a fixed bound (percent: the value is in percent points)
//   = true                                   a yes/no indicator must be yes
//   >= prev   >= prev +5%   >= prev +1pt     at least the same period last year, +5% of it, +1 point
//   between 90% and 100%                     a band (budget execution: neither under- nor overspent)
//
// Spaces are optional, and what a Chinese keyboard types is accepted too (≥ ≤ ％ and full-width
// spaces), because the file is edited by hand in Excel. formatTargetRule writes the canonical text.
import type { TargetRule } from './schema.ts';

export type { TargetRule };

const num = String.raw`(-?\d+(?:\.\d+)?)`;
const patterns: [RegExp, (m: RegExpMatchArray) => TargetRule][] = [
  [new RegExp(String.raw`^(>=|<=)${num}(%?)$`), (m) => ({ op: m[1] as '>=' | '<=', value: Number(m[2]), percent: m[3] === '%' })],
  [/^=(true|false)$/, (m) => ({ op: '=', value: m[1] === 'true' })],
  [/^>=prev$/, () => ({ op: '>=prev' })],
  [new RegExp(String.raw`^>=prev\+${num}%$`), (m) => ({ op: '>=prev', relative: Number(m[1]) })],
  [new RegExp(String.raw`^>=prev\+${num}pts?$`), (m) => ({ op: '>=prev', points: Number(m[1]) })],
  [
    new RegExp(String.raw`^between${num}(%?)and${num}(%?)$`),
    (m) => {
      if (m[2] !== m[4]) throw new TargetRuleError('both ends of a band must be percentages, or neither');
      return { op: 'between', low: Number(m[1]), high: Number(m[3]), percent: m[2] === '%' };
    },
  ],
];

export class TargetRuleError extends Error {}

/** Parses a target rule, throwing TargetRuleError with a reason the catalog editor can act on. */
export function parseTargetRule(text: string): TargetRule {
  const compact = text
    .normalize('NFKC') // full-width ％ ＞ ＝ and digits become ASCII
    .replaceAll('≥', '>=')
    .replaceAll('≤', '<=')
    .replace(/\s+/g, '')
    .toLowerCase();
  if (compact === '') throw new TargetRuleError('target rule is empty');
  for (const [pattern, build] of patterns) {
    const match = compact.match(pattern);
    if (!match) continue;
    const rule = build(match);
    if (rule.op === 'between' && rule.low > rule.high) {
      throw new TargetRuleError(`band "${text}" has its low end above its high end`);
    }
    if (rule.op === '>=prev' && ((rule.relative ?? 1) <= 0 || (rule.points ?? 1) <= 0)) {
      throw new TargetRuleError(`the increase in "${text}" must be positive (write ">= prev" for no increase)`);
    }
    return rule;
  }
  throw new TargetRuleError(
    `cannot read target rule "${text}" (expected one of: >= N, >= N%, <= N, <= N%, = true, >= prev, >= prev +N%, >= prev +Npt, between A% and B%)`,
  );
}

/** The canonical text of a rule; parseTargetRule(formatTargetRule(r)) equals r. */
export function formatTargetRule(rule: TargetRule): string {
  const pct = (percent: boolean) => (percent ? '%' : '');
  switch (rule.op) {
    case '>=':
    case '<=':
      return `${rule.op} ${rule.value}${pct(rule.percent)}`;
    case '=':
      return `= ${rule.value}`;
    case '>=prev':
      if (rule.relative !== undefined) return `>= prev +${rule.relative}%`;
      if (rule.points !== undefined) return `>= prev +${rule.points}pt`;
      return '>= prev';
    case 'between':
      return `between ${rule.low}${pct(rule.percent)} and ${rule.high}${pct(rule.percent)}`;
  }
}
