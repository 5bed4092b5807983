/** '2023-07' -> 202307: the month key of the marts, the engine's windows and score periods. */
export const monthKey = (month: string) => Number(month.slice(0, 4)) * 100 + Number(month.slice(5, 7));
