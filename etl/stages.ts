// Where a build's time goes, stage by stage (copy the snapshot, read and merge the files, marts and
// engine, checkpoint, publish): reported in the load summary so the publish benchmarks can say which
// stage a small publish spends its seconds in.

/** Seconds per stage, in the order the stages ran. */
export type Stages = Record<string, number>;

/** A stopwatch over `stages`: lap(name) adds the time since the previous lap (or its start) to name. */
export function stageClock(stages: Stages = {}): { stages: Stages; lap: (name: string) => void } {
  let since = performance.now();
  return {
    stages,
    lap(name) {
      const now = performance.now();
      stages[name] = Number(((stages[name] ?? 0) + (now - since) / 1000).toFixed(3));
      since = now;
    },
  };
}
