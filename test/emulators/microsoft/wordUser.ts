import { unzipPackage, zipPackage } from '../../../connectors/microsoft/docx/zipPackage.ts';

/** One edit a Word user makes: text typed at the end of a paragraph, or a new paragraph. */
export type WordEdit =
  | { appendText: { paragraph: number; text: string } }
  | { prependText: { paragraph: number; text: string } }
  | { insertParagraph: { after: number; text: string } };

const PARAGRAPH = /<w:p(?=[\s>/])[^>]*?(?:\/>|>[\s\S]*?<\/w:p>)/g;

/**
 * Applies a Word user's edits to a .docx and saves it the way Word does: the whole package is written
 * again (re-zipped, `docProps/core.xml` modified time and revision bumped), with the edited paragraphs
 * changed in `word/document.xml`. Paragraph indexes count every `<w:p>` of the body in document order.
 */
export function wordSave(docx: Uint8Array, edits: WordEdit[]): Uint8Array {
  const parts = new Map(unzipPackage(docx));
  const documentXml = parts.get('word/document.xml');
  if (!documentXml) throw new Error('not a Word document: no word/document.xml');
  let xml = new TextDecoder().decode(documentXml);
  for (const edit of edits) xml = applyEdit(xml, edit);
  parts.set('word/document.xml', new TextEncoder().encode(xml));
  const core = parts.get('docProps/core.xml');
  if (core) {
    const text = new TextDecoder()
      .decode(core)
      .replace(
        /(<dcterms:modified[^>]*>)[^<]*(<\/dcterms:modified>)/,
        `$1${new Date().toISOString().slice(0, 19)}Z$2`,
      )
      .replace(
        /<cp:revision>(\d+)<\/cp:revision>/,
        (_m, n: string) => `<cp:revision>${Number(n) + 1}</cp:revision>`,
      );
    parts.set('docProps/core.xml', new TextEncoder().encode(text));
  }
  return zipPackage(parts);
}

function applyEdit(xml: string, edit: WordEdit): string {
  const paragraphs = [...xml.matchAll(PARAGRAPH)];
  const run = (text: string) => `<w:r><w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r>`;
  if ('appendText' in edit) {
    const found = paragraphs[edit.appendText.paragraph];
    if (!found) throw new Error(`no paragraph ${edit.appendText.paragraph}`);
    const original = found[0];
    const edited = original.endsWith('/>')
      ? `${original.slice(0, -2)}>${run(edit.appendText.text)}</w:p>`
      : `${original.slice(0, -'</w:p>'.length)}${run(edit.appendText.text)}</w:p>`;
    return xml.slice(0, found.index) + edited + xml.slice(found.index + original.length);
  }
  if ('prependText' in edit) {
    const found = paragraphs[edit.prependText.paragraph];
    if (!found) throw new Error(`no paragraph ${edit.prependText.paragraph}`);
    const original = found[0];
    const opening = original.endsWith('/>')
      ? original.slice(0, -2)
      : original.slice(0, original.indexOf('>'));
    const rest = original.endsWith('/>') ? '</w:p>' : original.slice(opening.length + 1);
    const pPr = /^<w:pPr[\s\S]*?<\/w:pPr>|^<w:pPr\/>/.exec(rest)?.[0] ?? '';
    const edited = `${opening}>${pPr}${run(edit.prependText.text)}${rest.slice(pPr.length)}`;
    return xml.slice(0, found.index) + edited + xml.slice(found.index + original.length);
  }
  const { after, text } = edit.insertParagraph;
  const paragraph = `<w:p>${run(text)}</w:p>`;
  if (after < 0) {
    const first = paragraphs[0];
    const at = first?.index ?? xml.indexOf('<w:sectPr');
    return xml.slice(0, at) + paragraph + xml.slice(at);
  }
  const found = paragraphs[after];
  if (!found) throw new Error(`no paragraph ${after}`);
  const end = found.index + found[0].length;
  return xml.slice(0, end) + paragraph + xml.slice(end);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
