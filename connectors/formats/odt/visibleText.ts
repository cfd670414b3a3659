/**
 * The text a reader sees of an ODF element at its place in the body: what atom labels hold. Never comment
 * bodies, authors or dates (office:annotation), deleted text (text:tracked-changes), a note's body (only its
 * citation shows in place), index templates, bookmark names or picture descriptions.
 */
import type { XmlElement } from '../safeXml.ts';
import { NS } from './namespaces.ts';

const HIDDEN_TEXT = new Set([
  'tracked-changes',
  'changed-region',
  'note-body',
  'sequence-decls',
  'table-of-content-source',
  'alphabetical-index-source',
  'illustration-index-source',
  'table-index-source',
  'object-index-source',
  'user-index-source',
  'bibliography-source',
  'bookmark',
  'bookmark-start',
  'bookmark-end',
]);

function hidden(el: XmlElement): boolean {
  if (el.uri === NS.office) return el.local === 'annotation' || el.local === 'annotation-end';
  if (el.uri === NS.text) return HIDDEN_TEXT.has(el.local);
  if (el.uri === NS.svg) return el.local === 'title' || el.local === 'desc';
  return el.uri === NS.dc || el.uri === NS.meta;
}

/** Visible text of `el`: paragraphs and headings on their own lines, tabs, spaces and line breaks kept. */
export function visibleOdfText(el: XmlElement): string {
  const lines: string[] = [];
  let line = '';
  const walk = (node: XmlElement): void => {
    for (const child of node.children) {
      if (child.type === 'text') {
        line += child.text.replace(/[\r\n\t ]+/g, ' ');
        continue;
      }
      if (hidden(child)) continue;
      if (child.uri === NS.text && child.local === 's')
        line += ' '.repeat(
          Math.min(
            Number.parseInt(child.attributes.find((a) => a.local === 'c')?.value ?? '1', 10) || 1,
            1000,
          ),
        );
      else if (child.uri === NS.text && child.local === 'tab') line += '\t';
      else if (child.uri === NS.text && child.local === 'line-break') line += '\n';
      else if (child.uri === NS.text && (child.local === 'p' || child.local === 'h')) {
        if (line !== '') lines.push(line);
        line = '';
        walk(child);
        lines.push(line.trim());
        line = '';
      } else walk(child);
    }
  };
  walk(el);
  if (line.trim() !== '') lines.push(line.trim());
  return lines.join('\n');
}
