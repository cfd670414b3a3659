/**
 * Hashes of canonical schema JSON, used to tell which blocks are unchanged since import, and the flattening of
 * lists and quotes into their paragraphs (the unit a patch keeps or regenerates). Reader and writer share these
 * functions, so a block hashes the same on both sides exactly when its JSON is the same.
 */
import { createHash } from 'node:crypto';
import type { Json } from './types.ts';

/** SHA-1 of the JSON text of `value` (canonical JSON from `validateDoc(...).toJSON()` hashes stably). */
export function hashJson(value: unknown): string {
  return createHash('sha1').update(JSON.stringify(value)).digest('base64');
}

/** One paragraph of a list or a quote, with where it sits. */
export interface GroupItem {
  node: Json;
  /** Nesting depth in the list (0 = top). */
  depth: number;
  /** `bulletList` or `orderedList`, or `blockquote`. */
  kind: string;
  /** A later paragraph of the same list item (written without a number). */
  continuation: boolean;
  /** The list (or blockquote) node that directly holds it. */
  parent: Json;
}

/** The paragraphs of a list (depth first, in document order) or of a blockquote. */
export function groupItems(block: Json): GroupItem[] {
  const out: GroupItem[] = [];
  if (block.type === 'blockquote') {
    for (const node of block.content ?? [])
      out.push({ node, depth: 0, kind: 'blockquote', continuation: false, parent: block });
    return out;
  }
  const walk = (list: Json, depth: number) => {
    for (const item of list.content ?? []) {
      let first = true;
      for (const c of item.content ?? []) {
        if (c.type === 'bulletList' || c.type === 'orderedList') walk(c, depth + 1);
        else {
          out.push({ node: c, depth, kind: list.type ?? '', continuation: !first, parent: list });
          first = false;
        }
      }
    }
  };
  walk(block, 0);
  return out;
}

/** Hash of one group item. */
export function hashItem(item: GroupItem): string {
  return hashJson([item.depth, item.kind, item.continuation, item.node]);
}

/** True for the block types stored as groups of paragraphs. */
export function isGroup(type: string | undefined): boolean {
  return type === 'bulletList' || type === 'orderedList' || type === 'blockquote';
}

/**
 * A table's rows and cells without their content: cell type, spans and widths. Reader and writer compare it
 * to tell a table whose cells only changed content (patched cell by cell inside its original XML) from one
 * whose structure changed (regenerated).
 */
export function tableShape(table: Json): string {
  return JSON.stringify(
    (table.content ?? []).map((row) =>
      (row.content ?? []).map((cell) => {
        const a = (cell.attrs ?? {}) as Record<string, unknown>;
        return [cell.type, a.colspan ?? 1, a.rowspan ?? 1, a.colwidth ?? null, a.align ?? null];
      }),
    ),
  );
}
