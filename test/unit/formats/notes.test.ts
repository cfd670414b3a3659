/**
 * Footnotes and endnotes as `note` nodes: typed in one format, editable in the others. A note goes
 * .docx -> .odt -> Markdown -> .docx keeping its text; Google Docs JSON footnotes read as notes; an edited
 * note rewrites only that note in the original package.
 */
import { readFileSync } from 'node:fs';
import type { JSONContent } from '@tiptap/core';
import { describe, expect, it } from 'vitest';
import { codecs, type FormatName } from '../../../bin/commands/formats.ts';
import { writeOverOriginal } from '../../../connectors/formats/originalPackage.ts';
import { readZip } from '../../../connectors/formats/safeZip.ts';
import { sealAtom } from '../../../connectors/model/atomSeal.ts';
import { createDocument } from '../../emulators/google/engine/createDocument.ts';

const paragraph = (...content: JSONContent[]): JSONContent => ({ type: 'paragraph', content });
const note = (kind: string, text: string): JSONContent => ({
  type: 'note',
  attrs: { kind },
  content: [{ type: 'text', text }],
});

/** [kind, text] of every note in `doc`, in order. */
function notesOf(doc: JSONContent): [string, string][] {
  const out: [string, string][] = [];
  const walk = (n: JSONContent) => {
    if (n.type === 'note')
      out.push([
        String(n.attrs?.kind),
        (n.content ?? []).map((c) => (c.type === 'hardBreak' ? '\n' : (c.text ?? ''))).join(''),
      ]);
    for (const c of n.content ?? []) walk(c);
  };
  walk(doc);
  return out;
}

const through = (doc: JSONContent, format: FormatName) => {
  const written = codecs[format].write(doc);
  return { doc: codecs[format].read(written.bytes).doc, warnings: written.warnings.map((w) => w.code) };
};

describe('notes across formats', () => {
  it('keeps a typed footnote and endnote through .docx, .odt, HTML and Markdown', () => {
    const typed: JSONContent = {
      type: 'doc',
      content: [
        paragraph({ type: 'text', text: 'Claim' }, note('footnote', 'Source one'), {
          type: 'text',
          text: ' end.',
        }),
        paragraph({ type: 'text', text: 'Later' }, note('endnote', 'Reasoning')),
      ],
    };
    let doc = typed;
    for (const format of ['docx', 'odt', 'html', 'docx'] as const) {
      doc = through(doc, format).doc;
      expect(notesOf(doc), format).toEqual([
        ['footnote', 'Source one'],
        ['endnote', 'Reasoning'],
      ]);
    }
    const md = through(doc, 'md');
    expect(md.warnings).toContain('MD_ENDNOTE_AS_FOOTNOTE');
    expect(notesOf(md.doc)).toEqual([
      ['footnote', 'Source one'],
      ['footnote', 'Reasoning'],
    ]);
    expect(notesOf(through(md.doc, 'odt').doc)).toEqual(notesOf(md.doc));
  });

  it('reads Google Docs footnotes as notes, editable once in .docx, .odt or Markdown', () => {
    const g = createDocument('Notes') as Record<string, unknown> & ReturnType<typeof createDocument>;
    g.body!.content![1] = {
      startIndex: 1,
      endIndex: 8,
      paragraph: {
        elements: [
          { startIndex: 1, endIndex: 5, textRun: { content: 'Text', textStyle: {} } },
          {
            startIndex: 5,
            endIndex: 6,
            footnoteReference: { footnoteId: 'kix.fn1', footnoteNumber: '1', textStyle: {} },
          },
          { startIndex: 6, endIndex: 8, textRun: { content: '.\n', textStyle: {} } },
        ],
        paragraphStyle: { namedStyleType: 'NORMAL_TEXT' },
      },
    };
    g.footnotes = {
      'kix.fn1': {
        footnoteId: 'kix.fn1',
        content: [
          {
            startIndex: 0,
            endIndex: 13,
            paragraph: {
              elements: [
                { startIndex: 0, endIndex: 13, textRun: { content: ' Google note\n', textStyle: {} } },
              ],
            },
          },
        ],
      },
    };
    const doc = codecs.gdoc.read(new TextEncoder().encode(JSON.stringify(g))).doc;
    expect(notesOf(doc)).toEqual([['footnote', 'Google note']]);
    for (const format of ['docx', 'odt', 'md'] as const)
      expect(notesOf(through(doc, format).doc), format).toEqual([['footnote', 'Google note']]);
    // A footnote typed elsewhere becomes a real Google footnote; Google has no endnotes: those become text.
    const typed: JSONContent = {
      type: 'doc',
      content: [paragraph({ type: 'text', text: 'A' }, note('footnote', 'typed'), note('endnote', 'an end'))],
    };
    const written = codecs.gdoc.write(typed);
    expect(written.warnings.map((w) => w.code)).toContain('GDOCS_NOTE_AS_TEXT');
    const back = codecs.gdoc.read(written.bytes).doc;
    expect(notesOf(back)).toEqual([['footnote', 'typed']]);
    expect(JSON.stringify(back)).toContain('"text":" [an end]"');
  });

  it('rewrites only the edited note in the original .docx and .odt', () => {
    for (const format of ['docx', 'odt'] as const) {
      const original = new Uint8Array(readFileSync(`test/fixtures/fidelity/${format}/footnote.${format}`));
      const doc = structuredClone(codecs[format].read(original).doc);
      const target = doc.content?.[0]?.content?.find((n) => n.type === 'note') as JSONContent;
      target.content = [{ type: 'text', text: 'An edited source.' }];
      const written = writeOverOriginal(format, doc, original);
      expect(notesOf(codecs[format].read(written.bytes).doc)).toEqual([['footnote', 'An edited source.']]);
      const part = format === 'docx' ? 'word/footnotes.xml' : 'content.xml';
      const xml = new TextDecoder().decode(readZip(written.bytes).get(part));
      expect(xml).toContain('An edited source.');
      expect(xml).not.toContain('The first source, page twelve.');
      if (format === 'docx') {
        // The separator notes and the note's own paragraph properties are kept.
        expect(xml).toContain('w:type="separator"');
        expect(xml).toContain('<w:pStyle w:val="Footnote"/>');
      }
    }
  });
});

describe('footnote atoms stored before notes were nodes', () => {
  it('are still written back over their original .docx and .odt', () => {
    for (const format of ['docx', 'odt'] as const) {
      const original = new Uint8Array(readFileSync(`test/fixtures/fidelity/${format}/footnote.${format}`));
      const doc = structuredClone(codecs[format].read(original).doc);
      const paragraph = doc.content?.[0] as JSONContent;
      const index = paragraph.content?.findIndex((n) => n.type === 'note') ?? -1;
      const payload =
        format === 'docx'
          ? (JSON.parse(String(paragraph.content?.[index]?.attrs?.payload)) as { ref: string }).ref
          : (JSON.parse(String(paragraph.content?.[index]?.attrs?.payload)) as { xml: string }).xml;
      // What a document imported by an earlier version holds: the reference as an opaque atom, with the stamp
      // this server's reader gives it when the original is read again (unstamped atoms export as labels:
      // test/security/atomSeals.test.ts).
      paragraph.content?.splice(index, 1, {
        type: 'atomInline',
        attrs: { kind: 'footnote', label: '1', source: format, payload, seal: sealAtom(format, payload) },
      });
      paragraph.content?.push({ type: 'text', text: ' Edited.' });
      const written = writeOverOriginal(format, doc, original);
      expect(written.warnings.map((w) => w.code)).toEqual([]);
      expect(notesOf(codecs[format].read(written.bytes).doc)).toEqual([
        ['footnote', 'The first source, page twelve.'],
      ]);
    }
  });
});
