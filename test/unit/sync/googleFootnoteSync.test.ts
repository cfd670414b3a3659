/**
 * Google footnotes through the sync engine and the real Google connector over the emulator's request engine:
 * a footnote typed on the web, or read from a .docx, becomes a real Google footnote (createFootnote, then
 * its text in a second batch sent against the first reply's revision); a Google user's edit of a footnote's
 * text comes back to the web and to the .docx; a crash between the two batches neither loses nor doubles.
 * The seeded test prints its seed; replay one with FC_SEED=<seed>.
 */
import { readFileSync } from 'node:fs';
import type { docs_v1 } from '@googleapis/docs';
import type { JSONContent } from '@tiptap/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { codecs } from '../../../bin/commands/formats.ts';
import { writeOverOriginal } from '../../../connectors/formats/originalPackage.ts';
import { fromYjs, toYjs } from '../../../connectors/model/yjs.ts';
import type { LinkPersistence, LinkState, LiveDocument } from '../../../connectors/sync/linkState.ts';
import { LinkSync } from '../../../connectors/sync/linkSync.ts';
import { sameContent } from '../../../connectors/sync/shadowDoc.ts';
import { markerBoundaries as boundaries, marker } from '../../helpers/markers.ts';
import { seededRandom } from '../../helpers/random.ts';
import { propertySeed } from '../gdocs/googleArbitrary.ts';
import { EngineRemote } from './engineRemote.ts';

const text = (n: JSONContent): string => (n.text ?? '') + (n.content ?? []).map(text).join('');
function notes(doc: JSONContent): JSONContent[] {
  const out: JSONContent[] = [];
  const walk = (n: JSONContent) => {
    if (n.type === 'note') out.push(n);
    for (const c of n.content ?? []) walk(c);
  };
  walk(doc);
  return out;
}
const googleNotes = (doc: docs_v1.Schema$Document) =>
  Object.values(doc.footnotes ?? {}).map((f) =>
    (f.content ?? [])
      .flatMap((p) => (p.paragraph?.elements ?? []).map((e) => e.textRun?.content ?? ''))
      .join(''),
  );

/** A link between a live Y.Doc and the engine's document, with its state kept in memory (as a store would). */
function harness(initial: JSONContent, remote = new EngineRemote(['Intro'])) {
  const live = toYjs(initial);
  const store: { state: LinkState } = {
    state: { shadow: null, remoteRev: null, remoteSnapshot: null, pendingPush: null },
  };
  const liveDoc: LiveDocument = {
    state: () => Y.encodeStateAsUpdate(live),
    applyDurable: (u) => Y.applyUpdate(live, u, 'link'),
  };
  const persistence: LinkPersistence = {
    async commit(next, update) {
      store.state = next;
      void update;
    },
    async setStatus() {},
  };
  const open = () =>
    new LinkSync({ linkId: 'footnotes', remoteId: 'engine' }, remote, liveDoc, persistence, store.state);
  return { live, remote, store, open };
}

const noteNode = (words: string): JSONContent => ({
  type: 'note',
  attrs: { kind: 'footnote', source: '', payload: '' },
  content: [{ type: 'text', text: words }],
});
const webDoc = (words: string): JSONContent => ({
  type: 'doc',
  content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Claim' }, noteNode(words)] }],
});

/** A Google user's edit of the only footnote's text: `requests` get its segmentId. */
function editFootnote(remote: EngineRemote, at: number, insert: string): void {
  const id = Object.keys(remote.document.footnotes ?? {})[0]!;
  remote.edit([{ insertText: { location: { index: at, segmentId: id }, text: insert } }]);
}

describe('Google footnotes through the sync engine', () => {
  it('writes a web-typed footnote as a real Google footnote in two batches, the second at the first reply revision', async () => {
    const h = harness(webDoc('Source, page 12.'));
    const sent: docs_v1.Schema$BatchUpdateDocumentRequest[] = [];
    const answers: docs_v1.Schema$BatchUpdateDocumentResponse[] = [];
    const batchUpdate = h.remote.engine.batchUpdate.bind(h.remote.engine);
    h.remote.engine.batchUpdate = async (id, body) => {
      sent.push(structuredClone(body));
      const answer = await batchUpdate(id, body);
      answers.push(answer);
      return answer;
    };
    const link = h.open();
    await link.initialize('local');
    expect(sent).toHaveLength(2);
    expect(sent[0]!.requests!.some((r) => r.createFootnote)).toBe(true);
    const footnoteId = answers[0]!.replies!.find((r) => r.createFootnote)!.createFootnote!.footnoteId!;
    expect(sent[1]!.writeControl).toEqual({ targetRevisionId: answers[0]!.writeControl!.requiredRevisionId });
    expect(sent[1]!.requests!.every((r) => JSON.stringify(r).includes(`"segmentId":"${footnoteId}"`))).toBe(
      true,
    );
    expect(googleNotes(h.remote.document)).toEqual([' Source, page 12.\n']);
    // Converged: the live note is now the Google footnote, and nothing more is written.
    expect(notes(fromYjs(h.live)).map((n) => [n.attrs!.source, text(n)])).toEqual([
      ['gdocs', 'Source, page 12.'],
    ]);
    expect(await link.push()).toBe('unchanged');
    expect(h.remote.writes).toBe(2);
  });

  it('pushes web edits of a Google footnote text with segmentId, and pulls Google edits of it back', async () => {
    const h = harness(webDoc('Source'));
    const link = h.open();
    await link.initialize('local');
    // Web: append to the note's text.
    const note = (() => {
      const found: Y.XmlElement[] = [];
      const walk = (n: Y.XmlElement | Y.XmlFragment) => {
        for (const c of n.toArray()) {
          if (c instanceof Y.XmlElement) {
            if (c.nodeName === 'note') found.push(c);
            walk(c);
          }
        }
      };
      walk(h.live.getXmlFragment('default'));
      return found[0]!;
    })();
    (note.get(0) as Y.XmlText).insert('Source'.length, ', page 3');
    const writes = h.remote.writes;
    expect(await link.push()).toBe('pushed');
    expect(h.remote.writes).toBe(writes + 1);
    expect(googleNotes(h.remote.document)).toEqual([' Source, page 3\n']);
    // Google: a collaborator edits the footnote; the pull brings it to the web.
    editFootnote(h.remote, 1, 'See ');
    expect(await link.pull()).toBe('merged');
    expect(notes(fromYjs(h.live)).map(text)).toEqual(['See Source, page 3']);
    expect(await link.push()).toBe('unchanged');
  });

  it('carries a .docx footnote to Google, and a Google edit of it back into the .docx', async () => {
    const original = new Uint8Array(readFileSync('test/fixtures/fidelity/docx/footnote.docx'));
    const imported = codecs.docx.read(original).doc;
    const [docxNote] = notes(imported);
    expect(docxNote).toBeDefined();
    const h = harness(imported);
    const link = h.open();
    await link.initialize('local');
    expect(googleNotes(h.remote.document)).toEqual([` ${text(docxNote!)}\n`]);
    editFootnote(h.remote, 1, 'Edited in Google: ');
    await link.pull();
    const back = fromYjs(h.live);
    expect(notes(back).map(text)).toEqual([`Edited in Google: ${text(docxNote!)}`]);
    const docx = writeOverOriginal('docx', back, original).bytes;
    expect(notes(codecs.docx.read(docx).doc).map(text)).toEqual([`Edited in Google: ${text(docxNote!)}`]);
  });

  for (const when of ['before', 'after', 'refused by a Google outage at'] as const) {
    it(`completes a push that stopped ${when} its second batch, with the footnote text exactly once`, async () => {
      const h = harness(webDoc('Once only'));
      const engine = h.remote.engine;
      const batchUpdate = engine.batchUpdate.bind(engine);
      let calls = 0;
      engine.batchUpdate = async (id, body) => {
        calls += 1;
        if (calls === 2 && when === 'before') throw new Error('process killed');
        if (calls === 2 && when !== 'after') engine.failNext(503, 1);
        const answer = await batchUpdate(id, body);
        if (calls === 2) throw new Error('process killed');
        return answer;
      };
      const stopped = when === 'after' || when === 'before' ? 'process killed' : /unavailable|503/i;
      await expect(h.open().initialize('local')).rejects.toThrow(stopped);
      expect(h.store.state.pendingPush?.resume).toBeDefined();
      expect(googleNotes(h.remote.document)).toEqual([when === 'after' ? ' Once only\n' : ' \n']);
      engine.batchUpdate = batchUpdate;
      // A Google user types meanwhile, elsewhere; then the link restarts from what was persisted.
      h.remote.edit([{ insertText: { location: { index: 1 }, text: 'Meanwhile ' } }]);
      const restarted = h.open();
      expect(await restarted.pull()).toBe('merged');
      expect(googleNotes(h.remote.document)).toEqual([' Once only\n']);
      const live = fromYjs(h.live);
      expect(notes(live).map(text)).toEqual(['Once only']);
      expect(text(live)).toContain('Meanwhile Claim');
      expect(h.store.state.pendingPush).toBeNull();
      expect(await restarted.push()).toBe('unchanged');
    });
  }
});

/** Every note element of the live document, in document order. */
function liveNotes(live: Y.Doc): Y.XmlElement[] {
  const found: Y.XmlElement[] = [];
  const walk = (n: Y.XmlElement | Y.XmlFragment) => {
    for (const c of n.toArray()) {
      if (!(c instanceof Y.XmlElement)) continue;
      if (c.nodeName === 'note') found.push(c);
      else walk(c);
    }
  };
  walk(live.getXmlFragment('default'));
  return found;
}

/** The text node of a live note (created when the note is empty). */
function noteText(note: Y.XmlElement): Y.XmlText {
  const first = note.get(0);
  if (first instanceof Y.XmlText) return first;
  const text = new Y.XmlText('');
  note.insert(0, [text]);
  return text;
}

/**
 * One seeded run: web and Google users type markers into footnote texts and into the body, the web user adds
 * new footnotes (holding a marker), syncs happen at random moments, and some pushes stop between their two
 * batches (a crash) and the link restarts from what it persisted.
 */
async function footnoteRun(seed: number, steps: number, trace?: (line: string) => void) {
  const random = seededRandom(seed);
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!;
  const h = harness({
    type: 'doc',
    content: [
      { type: 'paragraph', content: [{ type: 'text', text: 'Claim' }, noteNode('N')] },
      { type: 'paragraph', content: [{ type: 'text', text: 'Tail' }] },
    ],
  });
  const engine = h.remote.engine;
  const batchUpdate = engine.batchUpdate.bind(engine);
  let crashSecondBatch = false;
  engine.batchUpdate = async (id, body) => {
    const second = body.requests?.every((r) => JSON.stringify(r).includes('"segmentId"'));
    if (crashSecondBatch && second) {
      crashSecondBatch = false;
      throw new Error('process killed');
    }
    const answer = await batchUpdate(id, body);
    trace?.(`batch ${JSON.stringify(body.requests)} -> ${JSON.stringify(answer.replies)}`);
    return answer;
  };
  let link = h.open();
  await link.initialize('local');
  const inserted: string[] = [];
  for (let step = 0; step < steps; step++) {
    const m = marker(step);
    const r = random();
    if (r < 0.25) {
      const text = noteText(pick(liveNotes(h.live)));
      text.insert(pick(boundaries(text.toString())), m);
    } else if (r < 0.35) {
      const tail = h.live.getXmlFragment('default').get(1) as Y.XmlElement;
      const note = new Y.XmlElement('note');
      note.setAttribute('kind', 'footnote');
      note.insert(0, [new Y.XmlText(m)]);
      tail.insert(tail.length, [note]);
    } else if (r < 0.6) {
      const ids = Object.keys(h.remote.document.footnotes ?? {});
      const id = pick(ids);
      const content = googleNotes({ footnotes: { [id]: h.remote.document.footnotes![id]! } })[0]!;
      const inner = content.slice(1, -1);
      h.remote.edit([
        { insertText: { location: { index: 1 + pick(boundaries(inner)), segmentId: id }, text: m } },
      ]);
    } else {
      const paragraph = h.remote.document.body!.content!.filter((e) => e.paragraph)[1]!;
      const runs = paragraph.paragraph!.elements!.filter((e) => e.textRun);
      const body = runs
        .map((e) => e.textRun!.content!)
        .join('')
        .replace(/\n$/, '');
      const offsets = boundaries(body).filter(
        (o) => o <= (runs[0]!.textRun!.content ?? '').replace(/\n$/, '').length,
      );
      h.remote.edit([
        { insertText: { location: { index: paragraph.startIndex! + pick(offsets) }, text: m } },
      ]);
    }
    inserted.push(m);
    trace?.(
      `step ${step} r=${r.toFixed(2)} ${m} live=${text(fromYjs(h.live))} google=${JSON.stringify(googleNotes(h.remote.document))}`,
    );
    const s = random();
    try {
      if (s < 0.25) {
        await link.pull();
        trace?.('pull');
      } else if (s < 0.5) {
        crashSecondBatch = random() < 0.3;
        trace?.(`push${crashSecondBatch ? ' (crash)' : ''}`);
        await link.push();
      }
    } catch (error) {
      if ((error as Error).message !== 'process killed') throw error;
      trace?.('killed');
      link = h.open();
    }
    crashSecondBatch = false;
  }
  await link.push();
  await link.pull();
  const google = h.remote.document;
  const googleText = [
    ...(google.body!.content ?? []).flatMap((e) =>
      (e.paragraph?.elements ?? []).map((x) => x.textRun?.content ?? ''),
    ),
    ...googleNotes(google),
  ].join('');
  const liveText = text(fromYjs(h.live));
  return {
    converged: sameContent(
      fromYjs(h.live),
      (await h.remote.fetch({ linkId: 'footnotes', remoteId: 'engine' })).doc,
    ),
    lostOnWeb: inserted.filter((m) => !liveText.includes(m)),
    lostInGoogle: inserted.filter((m) => !googleText.includes(m)),
    duplicated: inserted.filter((m) => liveText.split(m).length > 2 || googleText.split(m).length > 2),
    pending: h.store.state.pendingPush,
  };
}

describe('Google footnotes under concurrent edits (seeded)', () => {
  it('converges with every marker exactly once, through crashes between the two batches', async () => {
    const seed = propertySeed();
    console.log(`footnote sync properties: seed ${seed} (replay with FC_SEED=${seed})`);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 30 }), async (run) => {
        const lines: string[] = [];
        const result = await footnoteRun(run, 30, (line) => lines.push(line));
        const ok = { converged: true, lostOnWeb: [], lostInGoogle: [], duplicated: [], pending: null };
        if (JSON.stringify(result) !== JSON.stringify(ok)) console.log(`run ${run}:\n${lines.join('\n')}`);
        expect(result).toEqual(ok);
      }),
      { numRuns: 20, seed },
    );
  });
});
