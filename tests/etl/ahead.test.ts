// Preparing the next files while the current one is staged (etl/read/ahead.ts): the caller gets the
// items in order, at most n of them are worked on ahead of it, and a failed one fails in its turn.
import { describe, expect, it } from 'vitest';
import { ahead } from '../../etl/read/ahead.ts';

describe('ahead', () => {
  it('gives the items in order with their work, started at most n items before the caller reaches them', async () => {
    const started: number[] = [];
    const seen: [number, number, number[]][] = [];
    for await (const [item, result] of ahead([10, 20, 30, 40, 50], 2, async (x, i) => (started.push(i), x + i))) {
      seen.push([item, await result, [...started]]);
    }
    expect(seen).toEqual([
      [10, 10, [0, 1, 2]],
      [20, 21, [0, 1, 2, 3]],
      [30, 32, [0, 1, 2, 3, 4]],
      [40, 43, [0, 1, 2, 3, 4]],
      [50, 54, [0, 1, 2, 3, 4]],
    ]);
  });

  it('with n = 0 starts each work only when the caller reaches its item', async () => {
    const started: number[] = [];
    for await (const [item] of ahead(['a', 'b', 'c'], 0, async (_x, i) => started.push(i))) {
      expect(started).toEqual(item === 'a' ? [0] : item === 'b' ? [0, 1] : [0, 1, 2]);
    }
  });

  it('throws a failed work where the caller awaits it, after the items before it', async () => {
    const got: string[] = [];
    const run = async () => {
      for await (const [item, result] of ahead(['ok', 'bad', 'later'], 4, async (x) => {
        if (x === 'bad') throw new Error('bad file');
        return x;
      })) {
        got.push(await result);
      }
    };
    await expect(run()).rejects.toThrow('bad file');
    expect(got).toEqual(['ok']);
  });
});
