/**
 * Block-level diff of two schema documents: the first, cheap pass of every push (the .docx writer keeps the
 * original XML of kept blocks; the Google writer turns changed ranges into batchUpdate requests).
 *
 * Each top-level block gets a canonical key (its JSON normalised through the schema, keys sorted); common
 * leading and trailing blocks are matched first, then the middle is aligned with a Myers diff (jsdiff's
 * `diffArrays`) on interned key ids, so the cost is linear plus the number of changed blocks squared.
 */
import type { JSONContent } from '@tiptap/core';
import { diffArrays } from 'diff';
import { validateDoc } from './schema.ts';

/** A half-open range of top-level block indices `[start, end)`. */
export interface BlockRange {
  start: number;
  end: number;
}

/**
 * One step of the alignment, in document order. `a` ranges index the old document, `b` the new one.
 * `insert` has an empty `a` range at the insertion point; `delete` an empty `b` range; `change` is a run of
 * old blocks replaced by a run of new ones (pair them by position and type for a finer diff).
 */
export interface BlockChange {
  op: 'keep' | 'insert' | 'delete' | 'change';
  a: BlockRange;
  b: BlockRange;
}

/** The result of `diffBlocks`: the ordered changes and the per-block hashes of both sides. */
export interface BlockDiff {
  changes: BlockChange[];
  hashesA: string[];
  hashesB: string[];
}

/** Beyond this many differing blocks in the middle, the middle is reported as one `change`. */
const MAX_EDIT_LENGTH = 4000;

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** cyrb53: a fast 53-bit string hash, enough to name blocks (equality itself compares the full keys). */
function hash53(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
}

/**
 * The canonical keys of a document's top-level blocks (validated against the schema, attributes completed
 * with their defaults), so two JSON spellings of the same block get the same key.
 */
export function blockKeys(doc: JSONContent): string[] {
  const node = validateDoc(doc);
  const keys: string[] = [];
  node.forEach((child) => {
    keys.push(canonicalJson(child.toJSON()));
  });
  return keys;
}

/** A short stable hash of one block's canonical key. */
export function blockHash(key: string): string {
  return hash53(key);
}

/** Aligns the top-level blocks of `a` (old) and `b` (new); see the module comment. */
export function diffBlocks(a: JSONContent, b: JSONContent): BlockDiff {
  const keysA = blockKeys(a);
  const keysB = blockKeys(b);
  const ids = new Map<string, number>();
  const intern = (key: string) => {
    let id = ids.get(key);
    if (id === undefined) {
      id = ids.size;
      ids.set(key, id);
    }
    return id;
  };
  const idsA = keysA.map(intern);
  const idsB = keysB.map(intern);
  let prefix = 0;
  while (prefix < idsA.length && prefix < idsB.length && idsA[prefix] === idsB[prefix]) prefix += 1;
  let suffix = 0;
  while (
    suffix < idsA.length - prefix &&
    suffix < idsB.length - prefix &&
    idsA[idsA.length - 1 - suffix] === idsB[idsB.length - 1 - suffix]
  ) {
    suffix += 1;
  }
  const builder = new ChangeBuilder();
  builder.push('keep', prefix, prefix);
  const middleA = idsA.slice(prefix, idsA.length - suffix);
  const middleB = idsB.slice(prefix, idsB.length - suffix);
  if (middleA.length > 0 || middleB.length > 0) {
    const parts =
      middleA.length === 0 || middleB.length === 0
        ? undefined
        : diffArrays(middleA, middleB, { maxEditLength: MAX_EDIT_LENGTH });
    if (!parts) {
      builder.push('edit', middleA.length, 0);
      builder.push('edit', 0, middleB.length);
    } else {
      for (const part of parts) {
        const count = part.value.length;
        if (part.added) builder.push('edit', 0, count);
        else if (part.removed) builder.push('edit', count, 0);
        else builder.push('keep', count, count);
      }
    }
  }
  builder.push('keep', suffix, suffix);
  return { changes: builder.changes, hashesA: keysA.map(hash53), hashesB: keysB.map(hash53) };
}

/** Accumulates keep/edit steps into ranges, merging adjacent edits into insert, delete or change. */
class ChangeBuilder {
  readonly changes: BlockChange[] = [];
  private posA = 0;
  private posB = 0;

  push(kind: 'keep' | 'edit', countA: number, countB: number): void {
    if (countA === 0 && countB === 0) return;
    const last = this.changes[this.changes.length - 1];
    const lastIsEdit = last !== undefined && last.op !== 'keep';
    if (last && ((kind === 'keep' && last.op === 'keep') || (kind === 'edit' && lastIsEdit))) {
      last.a.end += countA;
      last.b.end += countB;
      last.op = kind === 'keep' ? 'keep' : editOp(last.a, last.b);
    } else {
      const a = { start: this.posA, end: this.posA + countA };
      const b = { start: this.posB, end: this.posB + countB };
      this.changes.push({ op: kind === 'keep' ? 'keep' : editOp(a, b), a, b });
    }
    this.posA += countA;
    this.posB += countB;
  }
}

function editOp(a: BlockRange, b: BlockRange): BlockChange['op'] {
  if (a.end === a.start) return 'insert';
  if (b.end === b.start) return 'delete';
  return 'change';
}
