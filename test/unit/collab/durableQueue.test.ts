import { describe, expect, it } from 'vitest';
import { DurableQueue } from '../../../server/collab/durableQueue.ts';
import { waitFor } from '../../helpers/clients.ts';

describe('DurableQueue', () => {
  it('hands updates held back behind a write to the next one with when the oldest of them arrived', async () => {
    const writes: { updates: Uint8Array[]; arrivedAt: number; calledAt: number; done(): void }[] = [];
    const queue = new DurableQueue(
      (updates, arrivedAt) =>
        new Promise<void>((done) => writes.push({ updates, arrivedAt, calledAt: performance.now(), done })),
    );
    const firstPushed = performance.now();
    queue.push(Uint8Array.of(1));
    await waitFor(() => writes.length === 1, 'the first write');
    expect(writes[0]!.arrivedAt).toBeGreaterThanOrEqual(firstPushed);
    const heldPushed = performance.now();
    queue.push(Uint8Array.of(2));
    queue.push(Uint8Array.of(3));
    // Keep them held back for a while, so "arrived" and "handed over" differ.
    await new Promise((resolve) => setTimeout(resolve, 50));
    writes[0]!.done();
    await waitFor(() => writes.length === 2, 'the second write');
    expect(writes[1]!.updates).toEqual([Uint8Array.of(2), Uint8Array.of(3)]);
    expect(writes[1]!.arrivedAt).toBeGreaterThanOrEqual(heldPushed);
    expect(writes[1]!.arrivedAt).toBeLessThan(writes[1]!.calledAt - 40);
    writes[1]!.done();
    await queue.whenDurable();
  });
});

describe('DurableQueue, pipelined (a storage that groups appends itself)', () => {
  type Write = { updates: Uint8Array[]; done(): void; fail(error: Error): void };
  const recorder = () => {
    const writes: Write[] = [];
    const write = (updates: Uint8Array[]) =>
      new Promise<void>((done, fail) => writes.push({ updates, done, fail }));
    return { writes, write };
  };

  it('hands each update over when pushed, with an append still in flight', () => {
    const { writes, write } = recorder();
    const queue = new DurableQueue(write, {}, { pipelined: true });
    queue.push(Uint8Array.of(1));
    queue.push(Uint8Array.of(2));
    expect(writes.map((w) => w.updates)).toEqual([[Uint8Array.of(1)], [Uint8Array.of(2)]]);
    // Without `pipelined` the second waits for the first.
    const held = recorder();
    const serial = new DurableQueue(held.write);
    serial.push(Uint8Array.of(1));
    serial.push(Uint8Array.of(2));
    expect(held.writes).toHaveLength(1);
  });

  it('acknowledges in push order: a later append committed first waits for the earlier one', async () => {
    const { writes, write } = recorder();
    const queue = new DurableQueue(write, {}, { pipelined: true });
    queue.push(Uint8Array.of(1));
    const first = queue.whenDurable();
    queue.push(Uint8Array.of(2));
    const second = queue.whenDurable();
    let firstDone = false;
    let secondDone = false;
    void first.then(() => (firstDone = true));
    void second.then(() => (secondDone = true));
    writes[1]!.done();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect([firstDone, secondDone, queue.idle]).toEqual([false, false, false]);
    writes[0]!.done();
    await second;
    expect([firstDone, secondDone, queue.idle]).toEqual([true, true, true]);
  });

  it('retries a failed append; what was pushed after it is acknowledged only once the retry commits', async () => {
    const { writes, write } = recorder();
    const failures: number[] = [];
    const queue = new DurableQueue(
      write,
      { onWriteFailed: (_error, attempt) => failures.push(attempt) },
      {
        pipelined: true,
      },
    );
    queue.push(Uint8Array.of(1));
    queue.push(Uint8Array.of(2));
    const both = queue.whenDurable();
    let acknowledged = false;
    void both.then(() => (acknowledged = true));
    writes[0]!.fail(new Error('disk full'));
    writes[1]!.done();
    await waitFor(() => writes.length === 3, 'the retry of the failed append');
    expect(writes[2]!.updates).toEqual([Uint8Array.of(1)]);
    expect(failures).toEqual([1]);
    expect(acknowledged).toBe(false);
    // While it fails, later updates wait and then go together, rather than each retrying on its own.
    queue.push(Uint8Array.of(3));
    queue.push(Uint8Array.of(4));
    expect(writes).toHaveLength(3);
    writes[2]!.done();
    await both;
    await waitFor(() => writes.length === 4, 'the updates held back during the failure');
    expect(writes[3]!.updates).toEqual([Uint8Array.of(3), Uint8Array.of(4)]);
    writes[3]!.done();
    await queue.whenDurable();
    expect(queue.idle).toBe(true);
  });
});
