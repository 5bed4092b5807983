// Cron schedules, read in the federation's time zone (Asia/Shanghai, no daylight saving): "0 8 1 * *"
// is 08:00 Beijing time on the 1st. croner parses them (five fields, or six with seconds first).
import { Cron } from 'croner';

export const TIME_ZONE = 'Asia/Shanghai' as const;

/** The problem with a cron expression, or null when it is a valid schedule. */
export function cronProblem(schedule: string): string | null {
  const fields = schedule.trim().split(/\s+/).length;
  if (fields !== 5 && fields !== 6) return `a cron expression of 5 fields (minute hour day month weekday) or 6 (seconds first), in ${TIME_ZONE} time`;
  try {
    if (new Cron(schedule, { timezone: TIME_ZONE }).nextRun() === null) return 'never falls due';
  } catch (e) {
    return `not a valid cron expression: ${(e as Error).message.replace(/^CronPattern: /, '')}`;
  }
  return null;
}

/** The first time the schedule falls due strictly after `after` (ms since the epoch). */
export function nextRunAfter(schedule: string, after: number): number {
  const next = new Cron(schedule, { timezone: TIME_ZONE }).nextRun(new Date(after));
  // A schedule that stops falling due (a date in a past year cannot be written in 5/6 fields) parks far away.
  return next ? next.getTime() : Number.MAX_SAFE_INTEGER;
}
