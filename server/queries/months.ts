// Months as the warehouse keys and dates them.

/** '2023-07' -> 202307: the month key of the marts, the engine's windows and score periods. */
export const monthKey = (month: string) => Number(month.slice(0, 4)) * 100 + Number(month.slice(5, 7));

/** The month (YYYY-MM) of a snapshot's newest data, or this month for an empty warehouse. */
export const newestMonth = (info: { newest_data: string | null }) => (info.newest_data ?? new Date().toISOString()).slice(0, 7);
