import { describe, expect, it } from 'vitest';
import { AsyncMutex } from '../../../server/storage/asyncMutex.ts';
import { GroupCommit } from '../../../server/storage/groupCommit.ts';
import { waitFor } from '../../helpers/clients.ts';

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

/** A group commit with `spacingMs` whose first commit (of 'a') is done: the next one is spaced from it. */
async function afterFirstCommit(spacingMs: number) {
  const { calls, commit } = manualCommits();
  const mutex = new AsyncMutex();
  const group = new GroupCommit(commit, (task) => mutex.run(task), spacingMs);
  const first = group.add('a');
  await tick();
  expect(calls.map((c) => c.items)).toEqual([['a']]);
  calls[0]!.finish();
  expect(await first).toBe('a!');
  return { calls, group };
}

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

  it('with a spacing, commits an item after a quiet spell at once and makes items arriving sooner share the next commit', async () => {
    const { calls, group } = await afterFirstCommit(1500);
    const b = group.add('b');
    await tick();
    await tick();
    expect(calls).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const c = group.add('c');
    await waitFor(() => calls.length === 2, 'the spaced commit');
    expect(calls[1]!.items).toEqual(['b', 'c']);
    calls[1]!.finish();
    expect(await Promise.all([b, c])).toEqual(['b!', 'c!']);
  });

  it('settles idle() only once an item waiting for its spacing has been committed', async () => {
    const { calls, group } = await afterFirstCommit(200);
    const second = group.add('b');
    let idle = false;
    void group.idle().then(() => (idle = true));
    await waitFor(() => calls.length === 2, 'the spaced commit');
    expect(idle).toBe(false);
    calls[1]!.finish();
    await second;
    await waitFor(() => idle, 'idle() to settle');
  });

  it('with a spacing, commits an item that already waited that long since it arrived without waiting again', async () => {
    // A minute: only the arrival rule can bring the second commit within the wait below.
    const { calls, group } = await afterFirstCommit(60_000);
    // Held back by its caller while 'a' was committed: it arrived (almost) a spacing ago.
    const heldBack = group.add('b', performance.now() - 59_900);
    const fresh = group.add('c');
    await waitFor(() => calls.length === 2, 'the commit of the held-back item');
    expect(calls[1]!.items).toEqual(['b', 'c']);
    calls[1]!.finish();
    expect(await Promise.all([heldBack, fresh])).toEqual(['b!', 'c!']);
  });
});
