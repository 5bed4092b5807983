// The reporting calendar and the status matrix. Exported for the web client.
import { Type, type Static } from 'typebox';
import { Month } from './common.ts';
import { STREAM_NAMES } from './submissions.ts';

export const CalendarResponse = Type.Object({
  streams: Type.Array(
    Type.Object({
      stream: Type.Enum([...STREAM_NAMES]),
      period: Type.Enum(['monthly', 'quarterly', 'annual', 'catalog'], { description: 'catalog: each indicator its own period' }),
      deadline_day: Type.Integer({ description: 'day of the month after the period ends, clamped to that month\'s last day; end of day in UTC+8' }),
      name_zh: Type.String(),
      name_en: Type.String(),
    }),
  ),
});
export type CalendarResponse = Static<typeof CalendarResponse>;

export const StatusQuery = Type.Object({ period: Month('the month whose reports to show') });

const Cell = Type.Object({
  stream: Type.String(),
  period: Type.String({ description: 'the reporting period containing the month' }),
  deadline: Type.Unsafe<string | null>({ type: 'string', nullable: true }),
  status: Type.Enum(['not_submitted', 'submitted', 'returned', 'approved', 'published']),
  late: Type.Boolean({ description: 'first submitted after the deadline' }),
  overdue: Type.Boolean({ description: 'deadline passed and nothing submitted' }),
  submission_id: Type.Unsafe<number | null>({ type: 'integer', nullable: true }),
});

const Totals = Type.Object({
  counties: Type.Integer(),
  complete: Type.Integer({ description: 'counties that sent every stream for review' }),
  overdue: Type.Integer({ description: 'counties with a report past its deadline and not sent' }),
  by_stream: Type.Array(Type.Object({ stream: Type.String(), submitted: Type.Integer(), late: Type.Integer(), overdue: Type.Integer() })),
});

export const StatusResponse = Type.Object({
  period: Type.String(),
  streams: Type.Array(Type.String()),
  counties: Type.Array(Type.Object({ county_code: Type.String(), county_name: Type.String(), cells: Type.Array(Cell) })),
  totals: Totals,
});
export type StatusResponse = Static<typeof StatusResponse>;

export const TotalsQuery = Type.Object({ period: Type.Optional(Month('the month whose reports to count; default the last month that has ended, in China')) });

/** Counts only: what the wall may show without any county's row. */
export const TotalsResponse = Type.Object({ period: Type.String(), totals: Totals });
export type TotalsResponse = Static<typeof TotalsResponse>;

export const OverdueQuery = Type.Object({
  period: Month('the month whose reports to chase'),
  lang: Type.Optional(Type.Enum(['zh-CN', 'en'], { description: 'language of the title and headers; default zh-CN' })),
});
