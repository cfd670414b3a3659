/**
 * The position map of an import: from ProseMirror positions in the imported schema document to Google
 * UTF-16 indices. Anchors are recorded at the start of every inline, at the end of every textblock and at
 * every table/rule/atom block; between two anchors text advances one index per position (both count UTF-16
 * code units), so any edit location (inside text, at a block boundary) translates.
 */
import type { JSONContent } from '@tiptap/core';
import type { Origins } from './raise.ts';
import type { ParaUnit } from './units.ts';

/** Sorted anchor pairs: `pm[i]` (a ProseMirror position) corresponds to Google index `g[i]`. */
export interface PositionMap {
  pm: number[];
  g: number[];
}

const LEAVES = new Set(['text', 'image', 'hardBreak', 'atomInline', 'horizontalRule', 'atomBlock']);

function inlineSize(p: ParaUnit, i: number): number {
  const inline = p.inlines[i]!;
  return inline.t === 'text' ? inline.text.length : 1;
}

/** Builds the map for `content` (the doc's children) from the origins recorded by `raiseSegment`. */
export function buildPositions(content: readonly JSONContent[], origins: Origins): PositionMap {
  const map: PositionMap = { pm: [], g: [] };
  const anchor = (pm: number, g: number) => {
    map.pm.push(pm);
    map.g.push(g);
  };
  const lineAnchors = (p: ParaUnit, from: number): number => {
    let at = from;
    p.inlines.forEach((_, i) => {
      anchor(at, p.g!.inlineStarts[i]!);
      at += inlineSize(p, i);
    });
    anchor(at, p.g!.end - 1);
    return at;
  };
  const walk = (nodes: readonly JSONContent[], start: number): number => {
    let pos = start;
    for (const node of nodes) {
      const units = origins.get(node);
      const g = units?.[0]?.g as { start: number } | undefined;
      if (node.type === 'text') {
        pos += node.text?.length ?? 0;
        continue;
      }
      if (LEAVES.has(node.type ?? '')) {
        if (g) anchor(pos, g.start);
        pos += 1;
        continue;
      }
      if (g && units?.[0]?.k === 'p') {
        // A textblock (paragraph, heading) or a code block made of several line units.
        let at = pos + 1;
        units.forEach((u, line) => {
          at = lineAnchors(u as ParaUnit, at) + (line < units.length - 1 ? 1 : 0);
        });
        pos = at + 1;
        continue;
      }
      if (g) anchor(pos, g.start);
      pos = walk(node.content ?? [], pos + 1) + 1;
    }
    return pos;
  };
  walk(content, 0);
  return map;
}

/** The Google index for ProseMirror position `pos` (clamped to the document). */
export function toGoogleIndex(map: PositionMap, pos: number): number {
  if (map.pm.length === 0) return 1;
  let lo = 0;
  let hi = map.pm.length - 1;
  if (pos <= map.pm[0]!) return map.g[0]!;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (map.pm[mid]! <= pos) lo = mid;
    else hi = mid - 1;
  }
  const base = map.g[lo]!;
  const next = lo + 1 < map.g.length ? map.g[lo + 1]! : Number.POSITIVE_INFINITY;
  return Math.min(base + (pos - map.pm[lo]!), Math.max(base, next));
}
