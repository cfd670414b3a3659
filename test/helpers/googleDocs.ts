import * as Y from 'yjs';

/** The parts of a Google Document JSON the tests read. */
export interface GoogleDocJson {
  revisionId?: string;
  body: {
    content: {
      startIndex?: number;
      endIndex?: number;
      paragraph?: {
        elements: { startIndex?: number; textRun?: { content: string }; [kind: string]: unknown }[];
      };
    }[];
  };
}

/** Paragraph texts of a Google document, final newlines removed. */
export function googleParagraphs(doc: GoogleDocJson): string[] {
  return doc.body.content
    .filter((e) => e.paragraph)
    .map((e) =>
      e
        .paragraph!.elements.map((el) => el.textRun?.content ?? '')
        .join('')
        .replace(/\n$/, ''),
    );
}

/** The Google index where paragraph `i` starts. */
export function paragraphStart(doc: GoogleDocJson, i: number): number {
  return doc.body.content.filter((e) => e.paragraph)[i]!.startIndex!;
}

/** Paragraph texts of a Docbridge document (the y-prosemirror fragment), as a web client holds it. */
export function liveParagraphs(doc: Y.Doc): string[] {
  return doc
    .getXmlFragment('default')
    .toArray()
    .map((block) =>
      block instanceof Y.XmlElement
        ? block
            .toArray()
            .map((child) => (child instanceof Y.XmlText ? child.toString() : ''))
            .join('')
        : '',
    );
}

/** The text node of paragraph `i` of a Docbridge document, created when the paragraph is empty. */
export function liveText(doc: Y.Doc, i: number): Y.XmlText {
  const block = doc.getXmlFragment('default').get(i) as Y.XmlElement;
  const first = block.get(0);
  if (first instanceof Y.XmlText) return first;
  const text = new Y.XmlText('');
  block.insert(0, [text]);
  return text;
}
