/**
 * Writes the blocks of a container (the body or a table cell). With the blocks it was imported from, a
 * block whose hash is unchanged is copied from the original XML byte for byte; a changed block is regenerated,
 * reusing the properties of the original block at the same place. Without originals everything is generated.
 */

import { escapeXmlText } from '../../formats/safeXml.ts';
import { alignBlocks } from '../../model/align.ts';
import { hashJson, isGroup } from './blockHash.ts';
import type { Json, SourceBlock } from './types.ts';
import { payloadWritable, type WriteContext } from './writeContext.ts';
import { writeGroup } from './writeGroup.ts';
import { writeParagraph } from './writeParagraph.ts';
import { writeTable } from './writeTable.ts';

/** Writes `nodes`; `olds` are the SourceBlocks of the same container in the original, if any. */
export function writeBlocks(nodes: Json[], olds: SourceBlock[] | undefined, ctx: WriteContext): string {
  if (!olds || olds.length === 0) return nodes.map((n) => writeBlock(n, undefined, ctx)).join('');
  const alignment = alignBlocks(
    olds.map((o) => o.hash),
    nodes.map((n) => hashJson(n)),
  );
  let out = '';
  nodes.forEach((node, j) => {
    const a = alignment[j];
    if (a?.keep !== undefined) out += (olds[a.keep] as SourceBlock).xml;
    else {
      const old = a?.pair !== undefined ? olds[a.pair] : undefined;
      out += (old ? leading(old) : '') + writeBlock(node, old, ctx);
    }
  });
  return out;
}

/**
 * What stands before the original block's own element and stays when the block is rewritten: its whitespace,
 * and for a table (whose element is known exactly) also the body-level bookmarks, comment ranges and XML
 * comments before it, which no schema node holds.
 */
function leading(old: SourceBlock): string {
  if (old.table && old.xml.endsWith(old.table.xml)) return old.xml.slice(0, -old.table.xml.length);
  return /^\s*/.exec(old.xml)?.[0] ?? '';
}

/** Writes one block; `old` is the original block at its place, used when of a compatible kind. */
export function writeBlock(node: Json, old: SourceBlock | undefined, ctx: WriteContext): string {
  switch (node.type) {
    case 'paragraph':
    case 'heading':
    case 'codeBlock':
    case 'horizontalRule':
      return writeParagraph(node, old?.kind === 'paragraph' ? old.para : undefined, {}, ctx);
    case 'table':
      return writeTable(node, old?.kind === 'table' ? old.table : undefined, ctx);
    case 'atomBlock': {
      const a = (node.attrs ?? {}) as Record<string, string>;
      if (a.source === 'docx' && a.payload && payloadWritable(a, ctx)) return a.payload;
      if (a.source !== 'docx') {
        ctx.warnings.add(
          'DOCX_FOREIGN_ATOM_AS_TEXT',
          `An atom from ${a.source || 'another format'} was written as its label`,
        );
      }
      const lines = (a.label ?? '').split('\n');
      return lines
        .map((l) => `<w:p>${l ? `<w:r><w:t xml:space="preserve">${escapeXmlText(l)}</w:t></w:r>` : ''}</w:p>`)
        .join('');
    }
    default:
      if (isGroup(node.type)) return writeGroup(node, old, ctx);
      ctx.warnings.add('DOCX_UNKNOWN_BLOCK_TYPE', `Block ${node.type} was not written`);
      return '';
  }
}
