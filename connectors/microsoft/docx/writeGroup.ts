/**
 * Writes a list or a blockquote paragraph by paragraph. Paragraphs unchanged since import are copied
 * verbatim (aligned by hash, like blocks); changed ones are regenerated with their original properties. A list
 * keeps its original numbering instance when its level formats and start are unchanged; otherwise it gets a
 * new one (numbering.xml definitions are added as needed).
 */
import { alignBlocks } from '../../model/align.ts';
import { groupItems, hashItem } from './blockHash.ts';
import type { Json, SourceBlock } from './types.ts';
import { writeBlock } from './writeBlocks.ts';
import type { WriteContext } from './writeContext.ts';
import { writeParagraph } from './writeParagraph.ts';

const formatOfType: Record<string, string> = {
  a: 'lowerLetter',
  A: 'upperLetter',
  i: 'lowerRoman',
  I: 'upperRoman',
};

/** Level formats and start values of a list, by depth (first list met at each depth decides). */
function listLevels(list: Json): { formats: string[]; starts: number[] } {
  const formats: string[] = [];
  const starts: number[] = [];
  const walk = (l: Json, depth: number) => {
    if (formats[depth] === undefined) {
      const attrs = (l.attrs ?? {}) as Record<string, unknown>;
      formats[depth] = l.type === 'bulletList' ? 'bullet' : (formatOfType[String(attrs.type)] ?? 'decimal');
      starts[depth] = Number(attrs.start ?? 1);
    }
    for (const item of l.content ?? []) {
      for (const c of item.content ?? [])
        if (c.type === 'bulletList' || c.type === 'orderedList') walk(c, depth + 1);
    }
  };
  walk(list, 0);
  for (let d = 0; d < 9; d++) {
    formats[d] ??= formats[d - 1] ?? 'bullet';
    starts[d] ??= 1;
  }
  return { formats, starts };
}

function formatOf(list: Json): string {
  return list.type === 'bulletList' ? 'bullet' : (formatOfType[String(list.attrs?.type)] ?? 'decimal');
}

/**
 * The numbering instance of each list node: the top list's, unless a nested list's kind or start differs from
 * that instance's level definition, in which case it gets an instance of its own.
 */
function numIdsByList(node: Json, numId: string, ctx: WriteContext): Map<Json, string> {
  const out = new Map<Json, string>([[node, numId]]);
  for (const item of groupItems(node)) {
    const list = item.parent;
    if (out.has(list)) continue;
    const lvl = ctx.pkg.numbering.level(numId, item.depth) ?? pendingLevel(ctx, numId, item.depth);
    const format = formatOf(list);
    const start = Number(list.attrs?.start ?? 1);
    const isBullet = lvl?.format === 'bullet' || lvl?.format === 'none';
    const same =
      lvl !== undefined && (format === 'bullet' ? isBullet : lvl.format === format && lvl.start === start);
    if (same) out.set(list, numId);
    else {
      const { formats, starts } = listLevels(node);
      formats[item.depth] = format;
      starts[item.depth] = start;
      out.set(list, ctx.pkg.newList(formats, starts));
    }
  }
  return out;
}

function pendingLevel(ctx: WriteContext, numId: string, depth: number) {
  return ctx.pkg.pendingLevel(numId, depth);
}

function chooseNumId(
  node: Json,
  old: SourceBlock | undefined,
  ctx: WriteContext,
): { numId: string; reused: boolean } {
  const { formats, starts } = listLevels(node);
  const used = Math.max(1, ...groupItems(node).map((i) => i.depth + 1));
  if (old?.kind === 'list' && old.numId) {
    let same = (old.start ?? 1) === starts[0] || formats[0] === 'bullet';
    for (let d = 0; same && d < used; d++) {
      const lvl = ctx.pkg.numbering.level(old.numId, d);
      const isBullet = lvl?.format === 'bullet' || lvl?.format === 'none';
      same = lvl !== undefined && (formats[d] === 'bullet' ? isBullet : lvl.format === formats[d]);
    }
    if (same) return { numId: old.numId, reused: true };
  }
  return { numId: ctx.pkg.newList(formats, starts), reused: false };
}

/** Writes a bulletList, orderedList or blockquote block. */
export function writeGroup(node: Json, old: SourceBlock | undefined, ctx: WriteContext): string {
  const isQuote = node.type === 'blockquote';
  const compatible = old && (isQuote ? old.kind === 'quote' : old.kind === 'list') ? old : undefined;
  const items = groupItems(node);
  let numIds = new Map<Json, string>();
  let verbatim = isQuote;
  if (!isQuote) {
    const chosen = chooseNumId(node, compatible, ctx);
    numIds = numIdsByList(node, chosen.numId, ctx);
    verbatim = chosen.reused;
  }
  const oldItems = compatible?.items ?? [];
  const alignment = alignBlocks(
    oldItems.map((o) => (verbatim ? o.hash : `-${o.hash}`)),
    items.map((i) => hashItem(i)),
  );
  let out = '';
  items.forEach((item, j) => {
    const a = alignment[j];
    if (a?.keep !== undefined) {
      out += oldItems[a.keep]?.xml ?? '';
      return;
    }
    const src = a?.pair !== undefined ? oldItems[a.pair]?.para : undefined;
    const paragraphLike = item.node.type === 'paragraph' || (isQuote && item.node.type === 'heading');
    if (!paragraphLike) {
      ctx.warnings.add(
        'DOCX_GROUP_CONTENT_FLATTENED',
        `A ${item.node.type} inside a ${node.type} was written outside it`,
      );
      out += writeBlock(item.node, undefined, ctx);
      return;
    }
    if (isQuote && (item.node.type === 'heading' || item.node.attrs?.blockStyle === 'subtitle')) {
      ctx.warnings.add(
        'DOCX_QUOTE_FLATTENED',
        'Headings, titles and subtitles inside a quote are written without the quote',
      );
    }
    const place = isQuote
      ? { quote: item.node.type === 'paragraph' }
      : {
          list: {
            numId: item.continuation ? '0' : (numIds.get(item.parent) ?? '0'),
            ilvl: Math.min(item.depth, 8),
          },
        };
    out += writeParagraph(item.node, src, place, ctx);
  });
  return out;
}
