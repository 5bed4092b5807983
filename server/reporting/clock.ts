// The publisher's time: its quiet pauses and retry pauses are timers on this clock, so a test can move
// time itself (tests/helpers/manual-clock.ts) and prove the batching exactly, whatever the machine's load.
export interface Clock {
  /** monotonic milliseconds */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
