import type { JSONContent } from '@tiptap/core';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { documentFragment, fromYjs } from '../../connectors/model/yjs.ts';
import type { RemoteTarget } from '../../connectors/sync/connector.ts';
import type { RunnerTiming } from '../../connectors/sync/linkRunner.ts';
import { LinkSupervisor } from '../../connectors/sync/linkSupervisor.ts';
import type { InitialMode } from '../../connectors/sync/linkSync.ts';
import { LinkSync } from '../../connectors/sync/linkSync.ts';
import { waitFor as waitWithin } from '../helpers/clients.ts';
import { markerBoundaries, marker as markerOf } from '../helpers/markers.ts';
import { seededRandom } from '../helpers/random.ts';
import type { RemoteDriver } from './conformance.ts';
import { MemoryLinkStore, MemoryLiveDocuments } from './memoryPorts.ts';

const timing: RunnerTiming = {
  pushDebounceMs: 30,
  pushMaxWaitMs: 100,
  activePollMs: 50,
  quietPollMs: 200,
  activeWindowMs: 600,
};
const retry = { baseMs: 30, maxMs: 200, quarantineAfter: 4 };

/** Paragraph texts of a live document. */
function paragraphsOf(doc: Y.Doc): string[] {
  const json = fromYjs(doc) as JSONContent;
  return (json.content ?? []).map((block) => (block.content ?? []).map((n) => n.text ?? '').join(''));
}

/** Types `text` into a live document: at `at` in paragraph `index`, or as a new last paragraph. */
function typeInto(doc: Y.Doc, index: number | 'new', text: string, at = 0): void {
  const fragment = documentFragment(doc);
  if (index === 'new' || fragment.length === 0) {
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText(text)]);
    fragment.insert(fragment.length, [paragraph]);
    return;
  }
  const paragraph = fragment.get(index) as Y.XmlElement;
  if (!(paragraph.get(0) instanceof Y.XmlText)) paragraph.insert(0, [new Y.XmlText('')]);
  (paragraph.get(0) as Y.XmlText).insert(at, text);
}

/** Generous bounds: these tests must hold on a busy machine. */
const waitFor = (predicate: () => boolean | Promise<boolean>, what: string) =>
  waitWithin(predicate, what, 30_000);

const count = (haystack: string, needle: string) => haystack.split(needle).length - 1;

/** A supervisor over in-memory ports, with one driver's connector; `boot` again is a new process on the same store. */
function lifecycle(driver: RemoteDriver) {
  const store = new MemoryLinkStore();
  let supervisor: LinkSupervisor | null = null;
  const live = new MemoryLiveDocuments((doc, origin) => supervisor?.liveChanged(doc, origin));
  const warnings: string[] = [];
  const boot = () => {
    supervisor = new LinkSupervisor({
      store,
      live,
      connectors: async () => driver.connector,
      changeFeed: { intervalMs: 50, webhookAddress: () => null },
      warn: (message) => warnings.push(message),
      timing,
      retry,
    });
    supervisor.start();
    return supervisor;
  };
  let linkCount = 0;
  const link = (target: RemoteTarget, doc: string, initialMode: InitialMode) => {
    linkCount += 1;
    const record = {
      id: `${target.linkId}-${linkCount}`,
      tenant: 't',
      doc,
      provider: driver.connector.provider,
      credentialId: 'c',
      remoteId: target.remoteId,
      remoteRev: null,
      initialMode,
      consecutiveFailures: 0,
    };
    store.add(record);
    return record;
  };
  /** Boots a supervisor and runs a new link until its first sync (`open`: an editor has the document open). */
  const run = async (target: RemoteTarget, doc: string, { open = false } = {}) => {
    const running = boot();
    const record = link(target, doc, 'remote');
    if (open) {
      live.setSessions(doc, 1);
      running.sessions(doc, 1);
    }
    await running.launch(record);
    await waitFor(() => store.get(record.id).status === 'synced', 'the first sync');
    return { supervisor: running, record };
  };
  /** A link's LinkSync driven by the test itself (no supervisor), holding the lease as `owner`. */
  const direct = async (target: RemoteTarget, doc: string, owner: string) => {
    const record = link(target, doc, 'remote');
    await store.acquireLease(record.id, owner, 600_000);
    const sync = new LinkSync(
      target,
      driver.connector,
      live.attach(doc, record.id),
      store.persistence(record, owner),
      await store.load(record),
    );
    await sync.initialize('remote');
    return { record, sync };
  };
  return { store, live, boot, link, run, direct, warnings, stop: () => supervisor?.stop() };
}

/** The link lifecycle half of the conformance suite (see `describeConnectorConformance`). */
export function describeLifecycleConformance(name: string, makeDriver: () => Promise<RemoteDriver>) {
  describe(`link lifecycle conformance: ${name}`, () => {
    it('links remote-first, local-first, and both-not-empty (merge) without losing or doubling text', async () => {
      const driver = await makeDriver();
      const h = lifecycle(driver);
      const remoteFirst = await driver.createFile(['Remote first']);
      const localFirst = await driver.createFile([]);
      const both = await driver.createFile(['Remote side']);
      typeInto(h.live.doc('t/local'), 'new', 'Local first');
      typeInto(h.live.doc('t/both'), 'new', 'Local side');
      const supervisor = h.boot();
      try {
        const links = [
          h.link(remoteFirst, 't/remote', 'remote'),
          h.link(localFirst, 't/local', 'local'),
          h.link(both, 't/both', 'merge'),
        ];
        for (const link of links) await supervisor.launch(link);
        await waitFor(
          async () => (await driver.paragraphs(localFirst)).includes('Local first'),
          'local first',
        );
        await waitFor(() => paragraphsOf(h.live.doc('t/remote')).includes('Remote first'), 'remote first');
        await waitFor(async () => {
          const remote = (await driver.paragraphs(both)).join('\n');
          const local = paragraphsOf(h.live.doc('t/both')).join('\n');
          return [remote, local].every((t) => count(t, 'Remote side') === 1 && count(t, 'Local side') === 1);
        }, 'both sides merged');
        await waitFor(() => links.every((l) => h.store.get(l.id).status === 'synced'), 'all synced');
        expect(paragraphsOf(h.live.doc('t/local')).filter(Boolean)).toEqual(['Local first']);
      } finally {
        await h.stop();
      }
    });

    it('resolves a revision conflict by pulling and writing again', async () => {
      const driver = await makeDriver();
      const target = await driver.createFile(['alpha', 'beta']);
      const h = lifecycle(driver);
      const { record, sync } = await h.direct(target, 't/conflict', 'me');
      typeInto(h.live.doc(record.doc), 0, '[web] ');
      // More remote revisions than a write may be based on: the write is refused as a conflict.
      for (let n = 0; n < 55; n++) await driver.userInsert(target, 1, '.');
      expect(await sync.push()).toBe('pushed');
      const expected = ['[web] alpha', `${'.'.repeat(55)}beta`];
      expect(await driver.paragraphs(target)).toEqual(expected);
      expect(paragraphsOf(h.live.doc(record.doc))).toEqual(expected);
    });

    it('quarantines a link whose credential is refused, with the reason, counted in the store', async () => {
      const driver = await makeDriver();
      const target = await driver.createFile(['secret plans']);
      const h = lifecycle(driver);
      try {
        const { record } = await h.run(target, 't/auth');
        await driver.revokeCredential();
        typeInto(h.live.doc(record.doc), 0, 'more ');
        await waitFor(() => h.store.get(record.id).status === 'quarantined', 'quarantine');
        const stored = h.store.get(record.id);
        expect(stored.detail).toMatch(/^REMOTE_AUTH_FAILED: /);
        expect(stored.failures).toBeGreaterThanOrEqual(1);
        // Quarantined means left alone: no further attempt, whatever happens to the document.
        const writes = await driver.writeCalls();
        typeInto(h.live.doc(record.doc), 0, 'still more ');
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(await driver.writeCalls()).toBe(writes);
        expect(h.store.get(record.id).status).toBe('quarantined');
      } finally {
        await h.stop();
      }
    });

    it('quarantines a link whose remote file was deleted, and keeps the live text', async () => {
      const driver = await makeDriver();
      const target = await driver.createFile(['to be deleted']);
      const h = lifecycle(driver);
      try {
        const { record } = await h.run(target, 't/deleted', { open: true });
        await driver.deleteFile(target);
        await waitFor(() => h.store.get(record.id).status === 'quarantined', 'quarantine');
        expect(h.store.get(record.id).detail).toMatch(/^REMOTE_NOT_FOUND: /);
        expect(paragraphsOf(h.live.doc(record.doc))).toEqual(['to be deleted']);
      } finally {
        await h.stop();
      }
    });

    it('settles a push whose outcome was lost in a crash, after a restart, without duplicating it', async () => {
      const driver = await makeDriver();
      const target = await driver.createFile(['start']);
      const h = lifecycle(driver);
      const { record, sync } = await h.direct(target, 't/crash', 'crashed');
      typeInto(h.live.doc(record.doc), 0, ' [typed]', 5);
      h.store.crashAfterPush = true;
      await expect(sync.push()).rejects.toThrow('process died');
      expect(h.store.get(record.id).state.pendingPush).not.toBeNull();
      expect(await driver.paragraphs(target)).toEqual(['start [typed]']);
      // The crashed process's lease lapses; a new one takes the link over and settles the pending write.
      h.store.get(record.id).lease = null;
      h.boot();
      try {
        await waitFor(() => h.store.get(record.id).state.pendingPush === null, 'the pending push settled');
        await waitFor(() => h.store.get(record.id).status === 'synced', 'synced');
        expect(await driver.paragraphs(target)).toEqual(['start [typed]']);
        expect(paragraphsOf(h.live.doc(record.doc))).toEqual(['start [typed]']);
      } finally {
        await h.stop();
      }
    });

    it('wakes an idle link from the change feed, and a steady link writes nothing', async () => {
      const driver = await makeDriver();
      const target = await driver.createFile(['quiet']);
      const h = lifecycle(driver);
      try {
        const { supervisor, record } = await h.run(target, 't/idle', { open: true });
        // Steady state, editor open (polled): nothing written anywhere.
        const storeWrites = h.store.writes;
        const remoteWrites = await driver.writeCalls();
        await new Promise((resolve) => setTimeout(resolve, 800));
        expect(h.store.writes).toBe(storeWrites);
        expect(await driver.writeCalls()).toBe(remoteWrites);
        // Nobody has it open any more and the active window passes: the link stops polling...
        h.live.setSessions(record.doc, 0);
        supervisor.sessions(record.doc, 0);
        await new Promise((resolve) => setTimeout(resolve, timing.activeWindowMs + timing.quietPollMs * 2));
        // ...and the change feed alone brings the next remote edit.
        await driver.userInsert(target, 0, 'woken ');
        await waitFor(() => paragraphsOf(h.live.doc(record.doc))[0] === 'woken quiet', 'the change feed');
      } finally {
        await h.stop();
      }
    });

    it('keeps every marker exactly once under seeded random concurrent edits on both sides', async () => {
      const seed = 20_261_205;
      const random = seededRandom(seed);
      const driver = await makeDriver();
      const target = await driver.createFile(['one', 'two', 'three']);
      const h = lifecycle(driver);
      const { record, sync } = await h.direct(target, 't/random', 'me');
      const doc = h.live.doc(record.doc);
      const markers: string[] = [];
      for (let step = 0; step < 24; step++) {
        const m = markerOf(step);
        markers.push(m);
        const paragraphs = paragraphsOf(doc);
        const i = Math.floor(random() * paragraphs.length);
        if (random() < 0.5) {
          const boundaries = markerBoundaries(paragraphs[i] ?? '');
          typeInto(doc, i, m, boundaries[Math.floor(random() * boundaries.length)]);
        } else {
          await driver.userInsert(target, Math.min(i, (await driver.paragraphs(target)).length - 1), m);
        }
        const roll = random();
        if (roll < 0.3) await sync.push();
        else if (roll < 0.6) await sync.pull();
      }
      await sync.push();
      await sync.pull();
      const remote = (await driver.paragraphs(target)).join('\n');
      const local = paragraphsOf(doc).join('\n');
      for (const m of markers) {
        expect(count(remote, m), `seed ${seed}: ${m} on the remote`).toBe(1);
        expect(count(local, m), `seed ${seed}: ${m} in the live document`).toBe(1);
      }
      expect(paragraphsOf(doc)).toEqual(await driver.paragraphs(target));
    });
  });
}
