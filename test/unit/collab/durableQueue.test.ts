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
