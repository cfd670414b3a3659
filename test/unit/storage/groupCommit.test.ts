import { describe, expect, it } from 'vitest';
import { AsyncMutex } from '../../../server/storage/asyncMutex.ts';
import { GroupCommit } from '../../../server/storage/groupCommit.ts';

/** A commit function whose calls are recorded and finished by hand. */
function manualCommits() {
  const calls: { items: string[]; finish(error?: Error): void }[] = [];
  const commit = (items: string[]) =>
    new Promise<string[]>((resolve, reject) => {
      calls.push({
        items,
        finish: (error) => (error ? reject(error) : resolve(items.map((item) => `${item}!`))),
      });
    });
  return { calls, commit };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  it('commits items added while a commit is in flight together, in the next commit', async () => {
    const { calls, commit } = manualCommits();
    const mutex = new AsyncMutex();
    const group = new GroupCommit(commit, (task) => mutex.run(task));
    const first = group.add('a');
    await tick();
    expect(calls.map((c) => c.items)).toEqual([['a']]);
    const later = [group.add('b'), group.add('c'), group.add('d')];
    await tick();
    expect(calls).toHaveLength(1);
    calls[0]!.finish();
    expect(await first).toBe('a!');
    await tick();
    expect(calls.map((c) => c.items)).toEqual([['a'], ['b', 'c', 'd']]);
    calls[1]!.finish();
    expect(await Promise.all(later)).toEqual(['b!', 'c!', 'd!']);
  });

  it('waits for whatever else holds the schedule (an open transaction) and then commits everything queued', async () => {
    const { calls, commit } = manualCommits();
    const mutex = new AsyncMutex();
    const group = new GroupCommit(commit, (task) => mutex.run(task));
    let endTransaction = () => {};
    const transaction = mutex.run(() => new Promise<void>((resolve) => (endTransaction = resolve)));
    const added = ['x', 'y'].map((item) => group.add(item));
    await tick();
    expect(calls).toHaveLength(0);
    endTransaction();
    await transaction;
    await tick();
    expect(calls.map((c) => c.items)).toEqual([['x', 'y']]);
    calls[0]!.finish();
    expect(await Promise.all(added)).toEqual(['x!', 'y!']);
  });

  it('rejects every item of a failed commit and keeps committing later items', async () => {
    const { calls, commit } = manualCommits();
    const mutex = new AsyncMutex();
    const group = new GroupCommit(commit, (task) => mutex.run(task));
    const failed = [group.add('a'), group.add('b')];
    await tick();
    calls[0]!.finish(new Error('disk full'));
    for (const result of await Promise.allSettled(failed)) {
      expect(result).toMatchObject({ status: 'rejected', reason: { message: 'disk full' } });
    }
    const next = group.add('c');
    await tick();
    calls[1]!.finish();
    expect(await next).toBe('c!');
  });
});
