import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { LinkSupervisor, type LinkSupervisorOptions } from '../../../connectors/sync/linkSupervisor.ts';
import { RemoteError } from '../../../connectors/sync/remoteErrors.ts';
import { MemoryConnector } from '../../connectors/memoryConnector.ts';
import {
  MemoryInstanceChannels,
  MemoryLinkStore,
  MemoryLiveDocuments,
} from '../../connectors/memoryPorts.ts';
import { waitFor } from '../../helpers/clients.ts';

const timing = {
  pushDebounceMs: 20,
  pushMaxWaitMs: 50,
  activePollMs: 20,
  quietPollMs: 60,
  activeWindowMs: 2000,
};

function instance(
  store: MemoryLinkStore,
  connector: MemoryConnector,
  live: MemoryLiveDocuments,
  id: string,
  more: Partial<LinkSupervisorOptions> = {},
) {
  return new LinkSupervisor({
    ...more,
    store,
    live,
    connectors: async () => connector,
    changeFeed: { intervalMs: 50, webhookAddress: () => null },
    warn: () => {},
    timing,
    retry: { baseMs: 10, maxMs: 20, quarantineAfter: 3 },
    instanceId: id,
  });
}

/** A new link of the in-memory suite, never synced. */
const newLink = (id: string, doc: string, remoteId: string) => ({
  id,
  tenant: 't',
  doc,
  provider: 'memory',
  credentialId: 'c',
  remoteId,
  remoteRev: null,
  initialMode: 'remote' as const,
  consecutiveFailures: 0,
});

/**
 * Link `id` on document `doc` run by instance a, with the suite's live client connected on instance b and a
 * holding its uploads for it; `more` configures each instance.
 */
async function heldFromAnotherInstance(id: string, doc: string, more: Partial<LinkSupervisorOptions>[] = []) {
  const connector = new MemoryConnector();
  const remoteId = connector.create(['shared']);
  const store = new MemoryLinkStore();
  const liveA = new MemoryLiveDocuments((name, origin) => a.liveChanged(name, origin));
  const liveB = new MemoryLiveDocuments();
  store.add(newLink(id, doc, remoteId));
  const a = instance(store, connector, liveA, 'a', more[0]);
  const b = instance(store, connector, liveB, 'b', more[1]);
  a.start();
  await waitFor(() => store.get(id).status === 'synced' && a.statesOf(doc).length === 1, 'the first sync');
  b.start();
  liveB.liveClientsHere.push({ doc, provider: 'memory' });
  await waitFor(() => store.get(id).detail?.startsWith('live in memory') ?? false, 'the hold', 15_000);
  const text = (liveA.doc(doc).getXmlFragment('default').get(0) as Y.XmlElement).get(0) as Y.XmlText;
  return { connector, store, liveA, liveB, a, b, text };
}

describe('LinkSupervisor', () => {
  it('keeps the failure count in the store, so a restart does not reset the way to quarantine', async () => {
    const connector = new MemoryConnector();
    const remoteId = connector.create(['text']);
    const store = new MemoryLinkStore();
    const live = new MemoryLiveDocuments();
    const link = newLink('l1', 't/d', remoteId);
    store.add(link);
    // Two failures counted by a first process that then stopped.
    store.get('l1').failures = 2;
    connector.failNext(new RemoteError('REMOTE_UNAVAILABLE', '503'), 1);
    const second = instance(store, connector, live, 'second');
    await second.launch({ ...link, consecutiveFailures: 2 });
    await waitFor(() => store.get('l1').status === 'quarantined', 'quarantine on the third failure in a row');
    expect(store.get('l1').failures).toBe(3);
    expect(store.get('l1').detail).toMatch(/REMOTE_UNAVAILABLE 3 times in a row/);
    await second.stop();
  });

  it('runs a link on one instance at a time, and hands it over when the lease is let go', async () => {
    const connector = new MemoryConnector();
    const remoteId = connector.create(['shared']);
    const store = new MemoryLinkStore();
    const live = new MemoryLiveDocuments();
    const link = newLink('l2', 't/d2', remoteId);
    store.add(link);
    const a = instance(store, connector, live, 'a');
    const b = instance(store, connector, live, 'b');
    await a.launch(link);
    await b.launch(link);
    await waitFor(() => store.get('l2').status === 'synced', 'the first sync');
    expect(store.get('l2').lease?.owner).toBe('a');
    expect(b.statesOf('t/d2')).toEqual([]);
    expect(a.statesOf('t/d2')).toHaveLength(1);
    await a.stop();
    expect(store.get('l2').lease).toBeNull();
    b.start();
    await waitFor(() => b.statesOf('t/d2').length === 1, 'the hand-over');
    expect(store.get('l2').lease?.owner).toBe('b');
    await b.stop();
  });

  it('holds uploads while a live client of the suite is on the document on another instance, then hands over', async () => {
    // The add-in connects to the document on instance b; a runs the link.
    const { connector, store, liveB, a, b, text } = await heldFromAnotherInstance('l3', 't/d3');
    const writes = connector.writes;
    text.insert(0, '[typed while live] ');
    const typedAt = Date.now();
    await waitFor(
      () => (a.statesOf('t/d3')[0]?.state.lastSyncedAt ?? 0) > typedAt + 500,
      'a step after the edit',
      15_000,
    );
    expect(connector.writes).toBe(writes);
    // The add-in leaves: once b stops reporting it, a hands over and uploads.
    liveB.liveClientsHere.length = 0;
    await waitFor(() => connector.writes > writes, 'the upload after the hand-over', 20_000);
    expect(store.get('l3').detail ?? '').not.toContain('live in');
    await a.stop();
    await b.stop();
  });

  it('hands over when the instance the live client was on says it left, not when its reports run out', async () => {
    const channels = new MemoryInstanceChannels();
    const notes: string[] = [];
    const { connector, liveA, liveB, a, b, text } = await heldFromAnotherInstance('l4', 't/d4', [
      { channel: channels.join(), note: (message) => notes.push(message) },
      { channel: channels.join() },
    ]);
    const writes = connector.writes;
    text.insert(0, '[typed while live] ');
    // The add-in leaves b, in the state a's copy of the document already holds (cross-instance sync).
    liveB.liveClientsHere.length = 0;
    b.liveClients('t/d4', 'memory', 0, Y.encodeStateAsUpdate(liveA.doc('t/d4')));
    expect(notes).toEqual(['live client left on another instance: handing over to file mode']);
    await waitFor(() => connector.writes > writes, 'the upload after the hand-over', 20_000);
    await a.stop();
    await b.stop();
  });

  it('does not hold uploads for a live client report left long ago, found when it claims a link', async () => {
    const connector = new MemoryConnector();
    const remoteId = connector.create(['shared']);
    const store = new MemoryLinkStore();
    const live = new MemoryLiveDocuments((doc, origin) => a.liveChanged(doc, origin));
    const link = newLink('l5', 't/d5', remoteId);
    store.add(link);
    // An add-in session on another instance, ten minutes ago; that column keeps its last value.
    store.liveClientsAt.set('l5', Date.now() - 600_000);
    const messages: (string | null)[] = [];
    const a = instance(store, connector, live, 'a', {
      onState: (_link, state) => messages.push(state.message),
    });
    a.start();
    await waitFor(() => store.get('l5').status === 'synced', 'the first sync');
    const writes = connector.writes;
    const text = (live.doc('t/d5').getXmlFragment('default').get(0) as Y.XmlElement).get(0) as Y.XmlText;
    text.insert(0, '[web] ');
    await waitFor(() => connector.writes > writes, 'the upload', 20_000);
    expect(messages.filter((message) => message?.startsWith('live in'))).toEqual([]);
    await a.stop();
  });

  it('taking a link over while the live client is on another instance, begins held: a Word save of the session is not applied twice', async () => {
    const connector = new MemoryConnector();
    const remoteId = connector.create(['shared']);
    const store = new MemoryLinkStore();
    const live = new MemoryLiveDocuments();
    const link = newLink('l6', 't/d6', remoteId);
    store.add(link);
    const first = instance(store, connector, live, 'first');
    await first.launch(link);
    await waitFor(() => store.get('l6').status === 'synced', 'the first sync');
    await first.stop();
    // Meanwhile the add-in on another instance mirrors Word typing into the document, and Word saves it.
    const paragraph = () =>
      (live.doc('t/d6').getXmlFragment('default').get(0) as Y.XmlElement).get(0) as Y.XmlText;
    paragraph().insert(0, '[mirrored] ');
    connector.userEdit(remoteId, (f) =>
      ((f.get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, '[mirrored] '),
    );
    store.liveClientsAt.set('l6', Date.now());
    // The next instance reads the flags slowly (a busy database): its first pull must still wait for them.
    const crossInstanceFlags = store.crossInstanceFlags.bind(store);
    store.crossInstanceFlags = async (owner) => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return crossInstanceFlags(owner);
    };
    const next = instance(store, connector, live, 'next');
    next.start();
    await waitFor(() => next.statesOf('t/d6')[0]?.state.message?.startsWith('live in') ?? false, 'the hold');
    await next.stop();
    expect(paragraph().toString()).toBe('[mirrored] shared');
  });
});
