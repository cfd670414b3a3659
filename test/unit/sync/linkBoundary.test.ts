import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import * as schemaModule from '../../../connectors/model/schema.ts';
import { documentFragment } from '../../../connectors/model/yjs.ts';
import { LinkRunner } from '../../../connectors/sync/linkRunner.ts';
import type { LinkPersistence, LinkState } from '../../../connectors/sync/linkState.ts';
import { LinkSync } from '../../../connectors/sync/linkSync.ts';
import { RemoteError } from '../../../connectors/sync/remoteErrors.ts';
import { waitFor } from '../../helpers/clients.ts';
import { MemoryRemote } from './memoryRemote.ts';

// Every validateDoc call, wherever it is made (engine, model, connector), goes through this spy.
vi.mock('../../../connectors/model/schema.ts', async (importOriginal) => {
  const original = await importOriginal<typeof schemaModule>();
  return { ...original, validateDoc: vi.fn(original.validateDoc) };
});
const validations = vi.mocked(schemaModule.validateDoc);

function setup() {
  const remote = new MemoryRemote({
    type: 'doc',
    content: [{ type: 'paragraph', content: [{ type: 'text', text: 'start' }] }],
  });
  const live = new Y.Doc();
  const writes: string[] = [];
  let state: LinkState = { shadow: null, remoteRev: null, remoteSnapshot: null, pendingPush: null };
  const persistence: LinkPersistence = {
    async commit(next) {
      writes.push('commit');
      state = next;
    },
    async recordPush() {
      writes.push('audit');
    },
    async setStatus(status) {
      writes.push(`status:${status}`);
    },
  };
  const liveDoc = {
    state: () => Y.encodeStateAsUpdate(live),
    applyDurable: (u: Uint8Array) => Y.applyUpdate(live, u, 'link'),
  };
  const sync = new LinkSync({ linkId: 'l', remoteId: 'r' }, remote, liveDoc, persistence, state);
  const type = (text: string) =>
    ((documentFragment(live).get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, text);
  return { remote, live, sync, persistence, writes, type };
}

describe('the connector boundary carries parsed values', () => {
  it('validates the pushed content once and re-reads the remote once per push', async () => {
    const t = setup();
    await t.sync.initialize('remote');
    t.type('web ');
    validations.mockClear();
    const reads = t.remote.reads;
    expect(await t.sync.push()).toBe('pushed');
    // The live content is validated once, when it is captured; the remote's answer is read once, after the
    // write, and neither is converted or validated again on its way through the engine and the connector.
    expect(validations).toHaveBeenCalledTimes(1);
    expect(t.remote.reads - reads).toBe(1);
    expect(JSON.stringify(t.remote.content())).toContain('web start');
  });

  it('writes nothing when a poll finds the same revision', async () => {
    const t = setup();
    await t.sync.initialize('remote');
    t.writes.length = 0;
    expect(await t.sync.pull()).toBe('unchanged');
    expect(t.writes).toEqual([]);
  });

  it('lets a running link poll an unchanged remote without a single database write', async () => {
    const t = setup();
    const timing = {
      pushDebounceMs: 10,
      pushMaxWaitMs: 20,
      activePollMs: 10,
      quietPollMs: 20,
      activeWindowMs: 10_000,
    };
    const runner = new LinkRunner(t.sync, t.persistence, timing);
    await runner.initialize('remote');
    await waitFor(() => t.writes.includes('status:synced'), 'the first sync');
    await runner.idle();
    const before = t.writes.length;
    const reads = t.remote.reads;
    runner.remoteChanged();
    await waitFor(() => t.remote.reads >= reads + 5, 'five polls');
    await runner.stop();
    expect(t.writes.slice(before)).toEqual([]);
    expect(runner.state.status).toBe('synced');
  });

  it('does not forget a failed push when a wake-up replaces its retry with a poll', async () => {
    const t = setup();
    const statuses: string[] = [];
    const persistence = {
      ...t.persistence,
      setStatus: async (status: Parameters<typeof t.persistence.setStatus>[0]) => {
        statuses.push(status);
      },
    };
    const timing = {
      pushDebounceMs: 10,
      pushMaxWaitMs: 20,
      activePollMs: 10_000,
      quietPollMs: 10_000,
      activeWindowMs: 60_000,
    };
    // A retry far away: only the wake-up's poll can bring the text to the remote in time.
    const runner = new LinkRunner(t.sync, persistence, timing, {
      baseMs: 60_000,
      maxMs: 60_000,
      quarantineAfter: 5,
    });
    await runner.initialize('remote');
    t.remote.faults.push(new RemoteError('REMOTE_UNAVAILABLE', '503'));
    t.type('owed ');
    runner.liveChanged();
    await waitFor(() => statuses.includes('error'), 'the failed push');
    runner.remoteChanged();
    await waitFor(() => JSON.stringify(t.remote.content()).includes('owed start'), 'the owed push');
    await runner.stop();
  });
});
