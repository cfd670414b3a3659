/**
 * Google footnotes through the sync engine and the real Google connector over the emulator's request engine:
 * a footnote typed on the web, or read from a .docx, becomes a real Google footnote (createFootnote, then
 * its text in a second batch sent against the first reply's revision); a Google user's edit of a footnote's
 * text comes back to the web and to the .docx; a crash between the two batches neither loses nor doubles.
 */
import { readFileSync } from 'node:fs';
import type { docs_v1 } from '@googleapis/docs';
import type { JSONContent } from '@tiptap/core';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { codecs } from '../../../bin/commands/formats.ts';
import { writeOverOriginal } from '../../../connectors/formats/originalPackage.ts';
import { fromYjs, toYjs } from '../../../connectors/model/yjs.ts';
import type { LinkPersistence, LinkState, LiveDocument } from '../../../connectors/sync/linkState.ts';
import { LinkSync } from '../../../connectors/sync/linkSync.ts';
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

  for (const when of ['before', 'after'] as const) {
    it(`completes a push that stopped ${when} its second batch, with the footnote text exactly once`, async () => {
      const h = harness(webDoc('Once only'));
      const engine = h.remote.engine;
      const batchUpdate = engine.batchUpdate.bind(engine);
      let calls = 0;
      engine.batchUpdate = async (id, body) => {
        calls += 1;
        if (calls === 2 && when === 'before') throw new Error('process killed');
        const answer = await batchUpdate(id, body);
        if (calls === 2) throw new Error('process killed');
        return answer;
      };
      await expect(h.open().initialize('local')).rejects.toThrow('process killed');
      expect(h.store.state.pendingPush?.resume).toBeDefined();
      expect(googleNotes(h.remote.document)).toEqual([when === 'before' ? ' \n' : ' Once only\n']);
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
