// Work on the next items while the caller is busy with the current one: preparing a county month in
// Node (unzipping a sheet, writing it as CSV) waits mostly on file reads and writes, so a publish of 111
// months prepared one after another left Node idle half the time.

/**
 * `items` in order, each with `work(item, i)` started up to `n` items before the caller reaches it
 * (n = 0: when it does). A work's failure is thrown where the caller awaits that item, not earlier.
 */
export async function* ahead<T, R>(items: Iterable<T> | AsyncIterable<T>, n: number, work: (item: T, i: number) => Promise<R>): AsyncGenerator<[T, Promise<R>]> {
  const queue: [T, Promise<R>][] = [];
  let i = 0;
  for await (const item of items) {
    const result = work(item, i++);
    result.catch(() => {}); // awaited by the caller in its turn
    queue.push([item, result]);
    if (queue.length > n) yield queue.shift()!;
  }
  while (queue.length > 0) yield queue.shift()!;
}
