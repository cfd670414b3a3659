import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { documentFragment, fromYjs } from '../../../connectors/model/yjs.ts';
import type { LinkPersistence, LinkState, LiveDocument } from '../../../connectors/sync/linkState.ts';
import { LinkSync } from '../../../connectors/sync/linkSync.ts';
import { RemoteError } from '../../../connectors/sync/remoteErrors.ts';
import { sameContent } from '../../../connectors/sync/shadowDoc.ts';
import { markerBoundaries, marker as markerOf } from '../../helpers/markers.ts';
import { seededRandom } from '../../helpers/random.ts';
import { MemoryRemote } from './memoryRemote.ts';

const paragraphs = (...texts: string[]) => ({
  type: 'doc',
  content: texts.map((text) => ({
    type: 'paragraph',
    ...(text ? { content: [{ type: 'text', text }] } : {}),
  })),
});
const emptyState: LinkState = { shadow: null, remoteRev: null, remoteSnapshot: null, pendingPush: null };

/** The live document with a durable log, and the link state store, both in memory. */
function harness(remote: MemoryRemote, live = new Y.Doc()) {
  const log: Uint8Array[] = [];
  let state = emptyState;
  const liveDoc: LiveDocument = {
    state: () => Y.encodeStateAsUpdate(live),
    applyDurable: (update) => Y.applyUpdate(live, update, 'link'),
  };
  const persistence: LinkPersistence = {
    async commit(next, liveUpdate) {
      if (liveUpdate) log.push(liveUpdate);
      state = next;
    },
    async setStatus() {},
  };
  const open = () =>
    new LinkSync({ linkId: 'link-1', remoteId: 'remote-1' }, remote, liveDoc, persistence, state);
  return { live, log, open, state: () => state };
}

/** Text of every paragraph, joined, for marker checks. */
const textOf = (doc: Y.Doc) =>
  documentFragment(doc)
    .toArray()
    .map((p) =>
      (p as Y.XmlElement)
        .toArray()
        .map((t) => (t as Y.XmlText).toString())
        .join(''),
    )
    .join('\n');

/** Inserts `marker` at a marker boundary of a random paragraph (never inside another marker), or as a new paragraph. */
function insertMarker(fragment: Y.XmlFragment, marker: string, pick: () => number): void {
  const blocks = fragment.toArray() as Y.XmlElement[];
  if (blocks.length === 0 || pick() < 0.2) {
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText(marker)]);
    fragment.insert(Math.floor(pick() * (blocks.length + 1)), [paragraph]);
    return;
  }
  const block = blocks[Math.floor(pick() * blocks.length)]!;
  let text = block.get(0) as Y.XmlText | undefined;
  if (!(text instanceof Y.XmlText)) {
    text = new Y.XmlText('');
    block.insert(0, [text]);
  }
  const boundaries = markerBoundaries(text.toString());
  text.insert(boundaries[Math.floor(pick() * boundaries.length)]!, marker);
}

describe('LinkSync against an in-memory remote', () => {
  it('brings remote content into an empty document, then stays still', async () => {
    const remote = new MemoryRemote(paragraphs('Hello from the suite', 'Second'));
    const h = harness(remote);
    const link = h.open();
    await link.initialize('remote');
    expect(sameContent(fromYjs(h.live), remote.content())).toBe(true);
    expect(await link.pull()).toBe('unchanged');
    expect(await link.push()).toBe('unchanged');
    expect(remote.writes).toBe(0);
  });

  it('pushes live edits and pulls remote edits, merging concurrent ones without loss', async () => {
    const remote = new MemoryRemote(paragraphs('one', 'two'));
    const h = harness(remote);
    const link = h.open();
    await link.initialize('remote');
    const text = (doc: Y.Doc, i: number) =>
      (documentFragment(doc).get(i) as Y.XmlElement).get(0) as Y.XmlText;
    text(h.live, 0).insert(3, ' [web]');
    remote.edit((f) => ((f.get(1) as Y.XmlElement).get(0) as Y.XmlText).insert(0, '[suite] '));
    expect(await link.push()).toBe('pushed');
    expect(textOf(h.live)).toBe('one [web]\n[suite] two');
    expect(sameContent(fromYjs(h.live), remote.content())).toBe(true);
    const writes = remote.writes;
    expect(await link.push()).toBe('unchanged');
    expect(await link.pull()).toBe('unchanged');
    expect(remote.writes).toBe(writes);
  });

  it('retries a write refused for a stale revision after pulling', async () => {
    const remote = new MemoryRemote(paragraphs('base'), true);
    const h = harness(remote);
    const link = h.open();
    await link.initialize('remote');
    ((documentFragment(h.live).get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(4, ' [web]');
    remote.edit((f) => ((f.get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, '[suite] '));
    expect(await link.push()).toBe('pushed');
    expect(remote.conflicts).toBe(1);
    expect(textOf(h.live)).toBe('[suite] base [web]');
    expect(sameContent(fromYjs(h.live), remote.content())).toBe(true);
  });

  it('recovers a write whose outcome was lost in a crash without inserting it twice', async () => {
    for (const landed of [true, false]) {
      const remote = new MemoryRemote(paragraphs('start'));
      const h = harness(remote);
      await h.open().initialize('remote');
      ((documentFragment(h.live).get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(5, ' [typed]');
      const crashing = h.open();
      // The response never arrives: the write landed (or not), then the process died before pulling.
      if (!landed) remote.faults.push(new RemoteError('REMOTE_UNAVAILABLE', 'connection reset'));
      await crashing.push().catch(() => {});
      if (landed) expect(remote.writes).toBe(1);
      remote.edit((f) => ((f.get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, '[later] '));
      const restarted = h.open();
      await restarted.pull();
      await restarted.push();
      expect(textOf(h.live).match(/\[typed\]/g)?.length, `landed=${landed}`).toBe(1);
      expect(sameContent(fromYjs(h.live), remote.content())).toBe(true);
    }
  });

  it('writes local content over the remote, or merges both, as the link asks', async () => {
    for (const mode of ['local', 'merge'] as const) {
      const remote = new MemoryRemote(paragraphs('remote text'));
      const live = new Y.Doc();
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText('local text')]);
      documentFragment(live).insert(0, [p]);
      const h = harness(remote, live);
      await h.open().initialize(mode);
      const texts = textOf(h.live).split('\n').sort();
      expect(texts).toEqual(mode === 'local' ? ['local text'] : ['local text', 'remote text']);
      expect(sameContent(fromYjs(h.live), remote.content())).toBe(true);
    }
  });

  it('converges with every marker kept under seeded random concurrent edits on both sides', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 30 }), fc.boolean(), async (seed, strict) => {
        const rand = seededRandom(seed);
        const remote = new MemoryRemote(paragraphs('seed'), strict);
        const h = harness(remote);
        let link = h.open();
        await link.initialize('remote');
        const markers: string[] = [];
        for (let step = 0; step < 60; step++) {
          const marker = markerOf(step);
          markers.push(marker);
          if (rand() < 0.5) h.live.transact(() => insertMarker(documentFragment(h.live), marker, rand));
          else remote.edit((f) => insertMarker(f, marker, rand));
          const r = rand();
          if (r < 0.25) await link.pull();
          else if (r < 0.5) await link.push();
          else if (r < 0.53) link = h.open(); // a restart: state from storage only
        }
        await link.push();
        await link.pull();
        const live = textOf(h.live);
        expect(sameContent(fromYjs(h.live), remote.content())).toBe(true);
        expect(markers.filter((m) => !live.includes(m))).toEqual([]);
        const writes = remote.writes;
        expect(await link.push()).toBe('unchanged');
        expect(remote.writes).toBe(writes);
      }),
      { numRuns: 100 },
    );
  });
});

describe('LinkSync while the suite’s own live client (the Word add-in) holds the document', () => {
  const text = (doc: Y.Doc, i: number) => (documentFragment(doc).get(i) as Y.XmlElement).get(0) as Y.XmlText;
  const remoteText = (f: Y.XmlFragment, i: number) => (f.get(i) as Y.XmlElement).get(0) as Y.XmlText;

  it('adopts a Word save that matches the live content without applying it again, and leaves others alone', async () => {
    const remote = new MemoryRemote(paragraphs('one', 'two'));
    const h = harness(remote);
    const link = h.open();
    await link.initialize('remote');
    // The add-in mirrors a web edit into Word; Word saves a state that is not the live one yet, then one that is.
    text(h.live, 0).insert(3, ' [web]');
    text(h.live, 1).insert(3, ' [more]');
    remote.edit((f) => remoteText(f, 0).insert(3, ' [web]'));
    expect(await link.pullWhileLive()).toBe('unchanged');
    expect(h.state().remoteRev).not.toBe(remote.rev);
    remote.edit((f) => remoteText(f, 1).insert(3, ' [more]'));
    expect(await link.pullWhileLive()).toBe('merged');
    expect(textOf(h.live)).toBe('one [web]\ntwo [more]');
    expect(h.state().remoteRev).toBe(remote.rev);
    // Adopted: nothing to write, nothing to pull.
    expect(await link.push()).toBe('unchanged');
    expect(await link.pull()).toBe('unchanged');
    expect(remote.writes).toBe(0);
  });

  it('at the hand-over, reconciles Word’s last save against the state the add-in left: nothing lost, nothing doubled', async () => {
    const remote = new MemoryRemote(paragraphs('one', 'two'));
    const h = harness(remote);
    const link = h.open();
    await link.initialize('remote');
    // Mirrored both ways while live: in the live document and in Word.
    text(h.live, 0).insert(3, ' [mirrored]');
    const stateAtEnd = Y.encodeStateAsUpdate(h.live);
    // Word saved on closing, after the pane had closed, with a last word the add-in never mirrored; a web
    // user typed after it left.
    const endedAt = Date.now();
    remote.edit((f) => {
      remoteText(f, 0).insert(3, ' [mirrored]');
      remoteText(f, 1).insert(3, ' [last word]');
    }, endedAt + 5000);
    text(h.live, 1).insert(0, '[web after] ');
    await link.handOver({ stateAtEnd, endedAt });
    expect(textOf(h.live)).toBe('one [mirrored]\n[web after] two [last word]');
    expect(await link.push()).toBe('pushed');
    expect(sameContent(fromYjs(h.live), remote.content())).toBe(true);
  });

  it('at the hand-over with no Word save since, pushes the live content as it is', async () => {
    const remote = new MemoryRemote(paragraphs('one'));
    const h = harness(remote);
    const link = h.open();
    await link.initialize('remote');
    text(h.live, 0).insert(3, ' [typed while live]');
    await link.handOver({ stateAtEnd: Y.encodeStateAsUpdate(h.live), endedAt: Date.now() });
    expect(await link.push()).toBe('pushed');
    expect(textOf(h.live)).toBe('one [typed while live]');
    expect(sameContent(fromYjs(h.live), remote.content())).toBe(true);
  });

  /** A hand-over whose remote lists a Word save taken before the add-in mirrored a web edit into Word. */
  async function handOverAfterStaleSave() {
    const remote = new MemoryRemote(paragraphs('one', 'two'));
    const h = harness(remote);
    const link = h.open();
    await link.initialize('remote');
    // Word typing the add-in read; Word's autosave of it; then a web edit the add-in wrote into Word.
    text(h.live, 1).insert(3, ' [word]');
    remote.edit((f) => remoteText(f, 1).insert(3, ' [word]'), Date.now() - 3000);
    text(h.live, 0).insert(3, ' [web]');
    await link.handOver({ stateAtEnd: Y.encodeStateAsUpdate(h.live), endedAt: Date.now() });
    return { remote, h, link };
  }

  /** A hand-over after edits mirrored both ways, with no Word save since the last sync. */
  async function handOverWithoutSave() {
    const remote = new MemoryRemote(paragraphs('one', 'two'));
    const h = harness(remote);
    const link = h.open();
    await link.initialize('remote');
    text(h.live, 0).insert(3, ' [web]');
    text(h.live, 1).insert(3, ' [word]');
    const end = { stateAtEnd: Y.encodeStateAsUpdate(h.live), endedAt: Date.now() };
    await link.handOver(end);
    return { remote, h, link, end };
  }

  it('adopts a Word save older than the add-in’s end without applying it: what the add-in mirrored after it stays', async () => {
    const { remote, h, link } = await handOverAfterStaleSave();
    expect(textOf(h.live)).toBe('one [web]\ntwo [word]');
    expect(h.state().remoteRev).toBe(remote.rev);
    // File mode writes the shared content over that save.
    expect(await link.push()).toBe('pushed');
    expect(sameContent(fromYjs(h.live), remote.content())).toBe(true);
  });

  it('never lets a save of the session’s time listed late remove mirrored text; a later save is reconciled, deletions included', async () => {
    // At the hand-over the remote still lists the last synced revision...
    const { remote, h, link, end } = await handOverWithoutSave();
    // ...then Graph lists Word's autosave from before the end: it lacks the mirrored web edit.
    remote.edit((f) => remoteText(f, 1).insert(3, ' [word]'), end.endedAt - 1000);
    await link.pull();
    expect(textOf(h.live)).toBe('one [web]\ntwo [word]');
    // Word saves after the end: everything mirrored, and a deletion made in Word since (a real one).
    remote.edit((f) => {
      remoteText(f, 0).insert(3, ' [web]');
      remoteText(f, 1).delete(3, 7);
    }, end.endedAt + 5000);
    await link.pull();
    expect(textOf(h.live)).toBe('one [web]\ntwo');
    expect(await link.push()).toBe('unchanged');
  });

  it('keeps saves not later than the end unapplied through a refused upload (423) and a restart', async () => {
    const { remote, h, link } = await handOverAfterStaleSave();
    // Word still holds the file: the upload is refused, and the retry pulls the same revision again.
    remote.faults.push(new RemoteError('REMOTE_LOCKED', '423'));
    await expect(link.push()).rejects.toThrow('423');
    await link.pull();
    expect(textOf(h.live)).toBe('one [web]\ntwo [word]');
    // Another process takes the link over from its persisted state and begins with a forced pull; then Graph
    // lists another save of the session's time, still without the web edit.
    const next = h.open();
    await next.pull({ force: true });
    expect(textOf(h.live)).toBe('one [web]\ntwo [word]');
    remote.edit((f) => remoteText(f, 1).insert(0, 'x'), Date.now() - 1000);
    await next.pull();
    expect(textOf(h.live)).toBe('one [web]\ntwo [word]');
    expect(await next.push()).toBe('pushed');
    expect(sameContent(fromYjs(h.live), remote.content())).toBe(true);
  });

  it('with no Word save during the session, reconciles Word’s next save against the add-in’s state after a refused upload: later web edits stay', async () => {
    const { remote, h, link, end } = await handOverWithoutSave();
    // A web user types; Word still holds the file (423); then Word saves what it holds, and a later edit.
    text(h.live, 1).insert(0, '[web after] ');
    remote.faults.push(new RemoteError('REMOTE_LOCKED', '423'));
    await expect(link.push()).rejects.toThrow('423');
    remote.edit((f) => {
      remoteText(f, 0).insert(3, ' [web]');
      remoteText(f, 1).insert(3, ' [word] [later]');
    }, end.endedAt + 5000);
    await link.pull();
    expect(textOf(h.live)).toBe('one [web]\n[web after] two [word] [later]');
    expect(await link.push()).toBe('pushed');
    expect(sameContent(fromYjs(h.live), remote.content())).toBe(true);
  });
});
