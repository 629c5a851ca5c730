// storage/write-batcher.ts: one writer is flushed at once; writers that arrive while a flush
// runs share the next one, in order, up to maxItems (a writer's items never split); a failed
// flush fails exactly its own writers and the next batch still goes.
import { describe, expect, it } from 'vitest';
import { WriteBatcher } from '../../src/storage/write-batcher.js';

/** A flush that records its batches and finishes only when told to. */
function gatedFlush(): { flush: (items: string[]) => Promise<void>; batches: string[][]; release(error?: Error): void } {
  const batches: string[][] = [];
  const gates: ((error?: Error) => void)[] = [];
  return {
    batches,
    flush: (items) => {
      batches.push(items);
      return new Promise<void>((resolve, reject) => gates.push((error) => (error ? reject(error) : resolve())));
    },
    release: (error) => gates.shift()?.(error),
  };
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Waits (a bounded number of turns) until the batcher has started `count` flushes. */
async function flushesStarted(batches: unknown[], count: number): Promise<void> {
  for (let turn = 0; turn < 100 && batches.length < count; turn++) await settle();
  expect(batches).toHaveLength(count);
}

describe('WriteBatcher', () => {
  it('flushes the first writer alone and the writers that came during it together, in order', async () => {
    const gated = gatedFlush();
    const batcher = new WriteBatcher(gated.flush, 64);
    const done: string[] = [];
    const first = batcher.write(['a']).then(() => done.push('a'));
    const rest = ['b', 'c', 'd'].map((x) => batcher.write([x, `${x}2`]).then(() => done.push(x)));
    await settle();
    expect(gated.batches).toEqual([['a']]);
    expect(done).toEqual([]);
    gated.release();
    await first;
    await settle();
    expect(gated.batches).toEqual([['a'], ['b', 'b2', 'c', 'c2', 'd', 'd2']]);
    expect(done).toEqual(['a']);
    gated.release();
    await Promise.all(rest);
    expect(done).toEqual(['a', 'b', 'c', 'd']);
  });

  it('cuts batches at maxItems without splitting a writer, and lets one larger writer through alone', async () => {
    const gated = gatedFlush();
    const batcher = new WriteBatcher(gated.flush, 3);
    const all = [batcher.write(['x']), batcher.write(['a', 'b']), batcher.write(['c']), batcher.write(['d', 'e', 'f', 'g']), batcher.write(['h'])];
    for (let i = 1; i <= 4; i++) {
      await flushesStarted(gated.batches, i);
      gated.release();
    }
    await Promise.all(all);
    expect(gated.batches).toEqual([['x'], ['a', 'b', 'c'], ['d', 'e', 'f', 'g'], ['h']]);
  });

  it('fails the writers of a failed flush only, and flushes the next batch', async () => {
    const gated = gatedFlush();
    const batcher = new WriteBatcher(gated.flush, 64);
    const first = batcher.write(['a']);
    const second = batcher.write(['b']);
    const third = batcher.write(['c']);
    await settle();
    gated.release(new Error('disk full'));
    await expect(first).rejects.toThrow('disk full');
    await settle();
    expect(gated.batches).toEqual([['a'], ['b', 'c']]);
    gated.release();
    await expect(Promise.all([second, third])).resolves.toBeDefined();
    // Nothing to write is no flush at all.
    await batcher.write([]);
    expect(gated.batches).toHaveLength(2);
  });
});
