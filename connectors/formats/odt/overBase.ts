/**
 * Writing a document over the .odt package it was imported from, the way a docx patch works: every part but
 * content.xml is carried over untouched (styles.xml with its page styles, headers and footers, meta.xml,
 * settings.xml, pictures, manifest), and in content.xml each run of top-level elements whose blocks are
 * unchanged keeps its original XML byte for byte; only changed blocks are regenerated.
 */
import type { JSONContent } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { hashJson } from '../../microsoft/docx/blockHash.ts';
import type { ReadParts } from '../../microsoft/docx/zipPackage.ts';
import { alignBlocks } from '../../model/align.ts';
import type { XmlElement } from '../safeXml.ts';
import { NS } from './namespaces.ts';
import type { OdtSourceUnit } from './read.ts';

/** What writing over the original needs of an imported .odt (returned by `readOdt` as `source`). */
export interface OdtSource {
  /** Every entry of the original package, bytes untouched. */
  files: ReadParts;
  /** The decoded original content.xml. */
  contentXml: string;
  /** The original `office:automatic-styles` element (offsets in content.xml), if any. */
  autoStyles: { start: number; end: number; selfClosing: boolean } | null;
  /** Offset just after the root start tag (where an automatic-styles element goes when there is none). */
  rootOpenEnd: number;
  /** content.xml up to the first block's XML, and from the last block's end to the end. */
  head: string;
  tail: string;
  /** One per run of top-level elements, with its XML and the hashes of the blocks it imported to. */
  units: { xml: string; hashes: string[] }[];
}

/** Builds the source of an import from the parsed content.xml, its office:text and the recorded units. */
export function odtSource(
  files: ReadParts,
  contentXml: string,
  root: XmlElement,
  text: XmlElement,
  units: OdtSourceUnit[],
  blocks: JSONContent[],
): OdtSource {
  const auto = root.children.find(
    (c): c is XmlElement => c.type === 'element' && c.uri === NS.office && c.local === 'automatic-styles',
  );
  const textClose = contentXml.slice(text.start, text.end).endsWith('/>')
    ? -1
    : contentXml.lastIndexOf('</', text.end - 1);
  const first = units[0];
  const last = units.at(-1);
  let cursor = 0;
  const hashed = units.map((unit) => {
    const hashes = blocks.slice(cursor, cursor + unit.count).map(hashJson);
    cursor += unit.count;
    return { xml: contentXml.slice(unit.start, unit.end), hashes };
  });
  const contentEnd = textClose === -1 ? text.end : textClose;
  return {
    files,
    contentXml,
    autoStyles: auto
      ? {
          start: auto.start,
          end: auto.end,
          selfClosing: contentXml.slice(auto.start, auto.end).endsWith('/>'),
        }
      : null,
    rootOpenEnd: contentXml.indexOf('>', root.start) + 1,
    head: contentXml.slice(0, first ? first.start : contentEnd),
    tail: contentXml.slice(last ? last.end : contentEnd),
    units: cursor === blocks.length ? hashed : [],
  };
}

/** A style-name prefix no style of the original content.xml starts with, so new automatic styles never clash. */
export function freshStylePrefix(contentXml: string): string {
  let n = 1;
  while (contentXml.includes(`style:name="Db${n}`)) n += 1;
  return `Db${n}`;
}

/**
 * The body of content.xml for `doc` over `base`: blocks aligned with the imported ones by hash; a run of
 * original elements is written verbatim when all its blocks are kept in order, other blocks by `write`.
 * `unchanged` says every original unit was kept in order and nothing else written.
 */
export function bodyOverBase(
  doc: PMNode,
  base: OdtSource,
  write: (block: PMNode) => string,
): { xml: string; unchanged: boolean } {
  const oldHashes = base.units.flatMap((u) => u.hashes);
  const unitAt: number[] = [];
  base.units.forEach((unit, u) => {
    for (const _ of unit.hashes) unitAt.push(u);
  });
  const blocks: PMNode[] = [];
  doc.forEach((block) => {
    blocks.push(block);
  });
  const newHashes = blocks.map((b) => hashJson(b.toJSON()));
  const alignment = alignBlocks(oldHashes, newHashes);
  let out = '';
  let kept = 0;
  let written = 0;
  for (let j = 0; j < blocks.length; j += 1) {
    const keep = alignment[j]?.keep;
    const u = keep === undefined ? undefined : unitAt[keep];
    const unit = u === undefined ? undefined : base.units[u];
    const firstOfUnit = keep !== undefined && u !== undefined && (keep === 0 || unitAt[keep - 1] !== u);
    if (unit && firstOfUnit && keep !== undefined) {
      const count = unit.hashes.length;
      const whole = Array.from({ length: count }, (_, k) => alignment[j + k]?.keep === keep + k).every(
        Boolean,
      );
      if (whole) {
        out += unit.xml;
        kept += 1;
        j += count - 1;
        continue;
      }
    }
    out += write(blocks[j] as PMNode);
    written += 1;
  }
  return { xml: out, unchanged: written === 0 && kept === base.units.length };
}

/** The original content.xml with `body` as office:text's content and `styles` added to its automatic styles. */
export function contentOverBase(base: OdtSource, body: string, styles: string, declarations: string): string {
  let head = base.head;
  const auto = base.autoStyles;
  if (styles && auto && auto.end <= head.length) {
    head = auto.selfClosing
      ? `${head.slice(0, auto.start)}<office:automatic-styles>${styles}</office:automatic-styles>${head.slice(auto.end)}`
      : head.slice(0, head.lastIndexOf('</', auto.end - 1)) +
        styles +
        head.slice(head.lastIndexOf('</', auto.end - 1));
  } else if (styles) {
    head = `${head.slice(0, base.rootOpenEnd)}<office:automatic-styles>${styles}</office:automatic-styles>${head.slice(base.rootOpenEnd)}`;
  }
  // New blocks may use namespace prefixes the original root does not declare.
  const rootOpen = head.slice(0, base.rootOpenEnd);
  const missing = declarations
    .split(' ')
    .filter((decl) => decl && !rootOpen.includes(`${decl.slice(0, decl.indexOf('='))}=`));
  if (missing.length)
    head = `${head.slice(0, base.rootOpenEnd - 1)} ${missing.join(' ')}${head.slice(base.rootOpenEnd - 1)}`;
  if (base.units.length === 0 && head.endsWith('/>')) {
    // `<office:text/>`: open it so content can go inside.
    return `${head.slice(0, -2)}>${body}</office:text>${base.tail}`;
  }
  return head + body + base.tail;
}
