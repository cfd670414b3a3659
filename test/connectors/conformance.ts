import type { JSONContent } from '@tiptap/core';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { documentFragment, fromYjs } from '../../connectors/model/yjs.ts';
import type { Connector, RemoteTarget } from '../../connectors/sync/connector.ts';
import type { LinkPersistence, LinkState, LiveDocument } from '../../connectors/sync/linkState.ts';
import { LinkSync } from '../../connectors/sync/linkSync.ts';
import { sameContent } from '../../connectors/sync/shadowDoc.ts';
import { describeLifecycleConformance } from './conformanceLifecycle.ts';

/** What the conformance suite needs of one suite's remote (a real API served by an emulator). */
export interface RemoteDriver {
  connector: Connector;
  /** A new remote file holding these paragraphs. */
  createFile(paragraphs: string[]): Promise<RemoteTarget>;
  /** A suite user typing `text` at the start of paragraph `index` (0-based, body paragraphs). */
  userInsert(target: RemoteTarget, index: number, text: string): Promise<void>;
  /** The remote file's paragraphs' text, read independently of the connector. */
  paragraphs(target: RemoteTarget): Promise<string[]>;
  /** Remote write calls made so far (all files). */
  writeCalls(): Promise<number>;
  /** Makes the next `count` calls fail with `status` (and Retry-After seconds). */
  failNext(status: 429 | 500 | 503, count: number, retryAfterSeconds?: number): Promise<void>;
  /** The credential is revoked at the remote: every later call is refused. */
  revokeCredential(): Promise<void>;
  /** A user deletes the remote file. */
  deleteFile(target: RemoteTarget): Promise<void>;
}

function harness(driver: RemoteDriver, target: RemoteTarget) {
  const live = new Y.Doc();
  let state: LinkState = { shadow: null, remoteRev: null, remoteSnapshot: null, pendingPush: null };
  const liveDoc: LiveDocument = {
    state: () => Y.encodeStateAsUpdate(live),
    applyDurable: (update) => Y.applyUpdate(live, update, 'link'),
  };
  const persistence: LinkPersistence = {
    async commit(next) {
      state = next;
    },
    async setStatus() {},
  };
  const open = () => new LinkSync(target, driver.connector, liveDoc, persistence, state);
  const paragraph = (i: number) => documentFragment(live).get(i) as Y.XmlElement;
  const text = (i: number) => {
    const p = paragraph(i);
    if (!(p.get(0) instanceof Y.XmlText)) p.insert(0, [new Y.XmlText('')]);
    return p.get(0) as Y.XmlText;
  };
  const liveParagraphs = () => {
    const json = fromYjs(live) as JSONContent;
    return (json.content ?? []).map((block) => (block.content ?? []).map((n) => n.text ?? '').join(''));
  };
  return { live, open, text, liveParagraphs };
}

/**
 * One acceptance suite for every connector (automerge-repo style): run against each suite's remote (an
 * in-memory one, the Google request engine in process, the Google HTTP emulator; Microsoft joins with its
 * own driver), it pins the behaviour the sync engine relies on, independently of the provider: the
 * connector alone (below), then the whole link lifecycle under the LinkSupervisor (`conformanceLifecycle.ts`).
 * `makeDriver` is called once per test and may return a fresh credential each time (revocation tests).
 */
export function describeConnectorConformance(name: string, makeDriver: () => Promise<RemoteDriver>) {
  describeLifecycleConformance(name, makeDriver);
  describe(`connector conformance: ${name}`, () => {
    it('brings remote content into an empty document, and stays still', async () => {
      const driver = await makeDriver();
      const target = await driver.createFile(['First paragraph', 'Second ✓ paragraph 😀']);
      const h = harness(driver, target);
      const link = h.open();
      await link.initialize('remote');
      expect(h.liveParagraphs()).toEqual(['First paragraph', 'Second ✓ paragraph 😀']);
      const writes = await driver.writeCalls();
      expect(await link.pull()).toBe('unchanged');
      expect(await link.push()).toBe('unchanged');
      expect(await driver.writeCalls()).toBe(writes);
    });

    it('writes web edits at the right (UTF-16) places and reads suite edits back', async () => {
      const driver = await makeDriver();
      const target = await driver.createFile(['😀 emoji first', 'plain']);
      const h = harness(driver, target);
      const link = h.open();
      await link.initialize('remote');
      h.text(0).insert(8, '[web]');
      expect(await link.push()).toBe('pushed');
      expect((await driver.paragraphs(target))[0]).toBe('😀 emoji[web] first');
      await driver.userInsert(target, 1, '[suite] ');
      expect(await link.pull()).toBe('merged');
      expect(h.liveParagraphs()).toEqual(['😀 emoji[web] first', '[suite] plain']);
    });

    it('moves its change probe, where the suite has one, with every change on either side, and only then', async () => {
      const driver = await makeDriver();
      const { connector } = driver;
      // Suites without a cheaper probe than a full read (Microsoft's item read is one) have nothing to pin.
      if (!connector.probe) return;
      const target = await driver.createFile(['alpha', 'beta']);
      const h = harness(driver, target);
      const link = h.open();
      await link.initialize('remote');
      const first = await connector.probe(target);
      expect(await connector.probe(target)).toBe(first);
      expect(await link.pull()).toBe('unchanged');
      await driver.userInsert(target, 1, '[suite] ');
      const afterSuite = await connector.probe(target);
      expect(afterSuite).not.toBe(first);
      // A poll reads the change the probe saw, then stays still.
      expect(await link.pull()).toBe('merged');
      expect(h.liveParagraphs()).toEqual(['alpha', '[suite] beta']);
      expect(await link.pull()).toBe('unchanged');
      h.text(0).insert(5, ' [web]');
      expect(await link.push()).toBe('pushed');
      expect(await connector.probe(target)).not.toBe(afterSuite);
      await driver.userInsert(target, 0, '[again] ');
      expect(await link.pull()).toBe('merged');
      expect(h.liveParagraphs()).toEqual(['[again] alpha [web]', '[suite] beta']);
    });

    it('merges concurrent edits on both sides without losing either', async () => {
      const driver = await makeDriver();
      const target = await driver.createFile(['alpha', 'beta', 'gamma']);
      const h = harness(driver, target);
      const link = h.open();
      await link.initialize('remote');
      h.text(2).insert(5, ' [web]');
      await driver.userInsert(target, 0, '[suite] ');
      await link.push();
      await link.pull();
      const expected = ['[suite] alpha', 'beta', 'gamma [web]'];
      expect(h.liveParagraphs()).toEqual(expected);
      expect(await driver.paragraphs(target)).toEqual(expected);
      expect(sameContent(fromYjs(h.live), (await driver.connector.fetch(target)).doc)).toBe(true);
    });

    it('surfaces quota and outage errors as transient, and succeeds once they pass', async () => {
      const driver = await makeDriver();
      const target = await driver.createFile(['x']);
      const h = harness(driver, target);
      const link = h.open();
      await link.initialize('remote');
      h.text(0).insert(1, 'y');
      await driver.failNext(429, 1, 2);
      await expect(link.push()).rejects.toMatchObject({ code: 'REMOTE_RATE_LIMITED', retryAfterMs: 2000 });
      await driver.failNext(503, 1);
      await expect(link.push()).rejects.toMatchObject({ code: 'REMOTE_UNAVAILABLE' });
      const retried = h.open();
      await retried.pull();
      await retried.push();
      expect(await driver.paragraphs(target)).toEqual(['xy']);
      expect(h.liveParagraphs()).toEqual(['xy']);
    });
  });
}
