import type { Mark, Node as PMNode } from '@tiptap/pm/model';
import { diffArrays } from 'diff';
import * as Y from 'yjs';
import { pairBySimilarity } from './pairBySimilarity.ts';

/**
 * Brings a y-prosemirror fragment to the content of a ProseMirror node with the smallest edits a minimal
 * diff gives, at every level: children are aligned with an LCS over their full content (unchanged blocks are
 * never touched, a changed block is updated in place rather than replaced), and text is edited with a
 * character diff (Myers, code point by code point), never by replacing the span between the first and last
 * change. That matters beyond size: the edits are merged by the CRDT with what users typed concurrently, and
 * a span deleted and re-inserted would delete their insertions inside it and revive what they deleted.
 * (y-prosemirror's `updateYFragment` does exactly that, by prefix and suffix; this replaces it.)
 */
export function updateFragment(target: Y.XmlFragment | Y.XmlElement, node: PMNode): void {
  if (target instanceof Y.XmlElement) updateAttributes(target, node);
  const wanted = childrenOf(node);
  const have = runsOf(target.toArray());
  const pieces = diffArrays(have.map(keyOfY), wanted.map(keyOfP));
  // Walk the alignment; `at` is the index in `target` as it is being edited.
  let at = 0;
  let yi = 0;
  let pi = 0;
  for (let k = 0; k < pieces.length; k++) {
    const piece = pieces[k]!;
    if (!piece.added && !piece.removed) {
      at += piece.count!;
      yi += piece.count!;
      pi += piece.count!;
      continue;
    }
    // A gap: removed items then added items (or the reverse). Pair compatible ones in order and update them.
    const next = pieces[k + 1];
    const removed = piece.removed ? piece.count! : next?.removed ? next.count! : 0;
    const added = piece.added ? piece.count! : next?.added ? next.count! : 0;
    if ((piece.removed && next?.added) || (piece.added && next?.removed)) k++;
    const olds = have.slice(yi, yi + removed);
    const news = wanted.slice(pi, pi + added);
    yi += removed;
    pi += added;
    const pairs = pairUp(olds, news);
    let o = 0;
    let n = 0;
    for (const [po, pn] of [...pairs, [olds.length, news.length] as const]) {
      for (; o < po; o++) {
        const old = olds[o]!;
        // A text run that became empty is emptied, not removed: removing the XmlText would also remove
        // what a peer typed into it concurrently (the paragraph cleared in one place, typed in at another).
        if (Array.isArray(old)) {
          for (const text of old) if (text.length > 0) text.delete(0, text.length);
          at += old.length;
        } else target.delete(at, 1);
      }
      for (; n < pn; n++) target.insert(at++, [create(news[n]!)]);
      if (po === olds.length && pn === news.length) break;
      const old = olds[o]!;
      if (Array.isArray(old)) updateText(target, at, old, news[n] as PMNode[]);
      else updateFragment(old as Y.XmlElement, news[n] as PMNode);
      at += Array.isArray(old) ? old.length : 1;
      o += 1;
      n += 1;
    }
  }
}

type Child = PMNode | PMNode[];

/**
 * A child of a Yjs element as the schema sees it: an element, or a run of adjacent XmlTexts. Two peers typing
 * into an empty paragraph at once each make an XmlText there; the editor shows them as one text. They are
 * edited as one text, never merged into one XmlText: moving text between them is a delete and an insert, and
 * two peers doing it at once (y-prosemirror's reader joins runs its own client made) would insert it twice.
 */
type YChild = Y.XmlElement | Y.XmlHook | Y.XmlText[];

function runsOf(children: (Y.XmlElement | Y.XmlText | Y.XmlHook)[]): YChild[] {
  const out: YChild[] = [];
  for (const child of children) {
    const last = out[out.length - 1];
    if (child instanceof Y.XmlText && Array.isArray(last)) last.push(child);
    else out.push(child instanceof Y.XmlText ? [child] : child);
  }
  return out;
}

/**
 * Which removed and added items of a gap are the same item changed (see `pairBySimilarity`): compatible
 * items (same node type) only.
 */
function pairUp(olds: YChild[], news: Child[]): [number, number][] {
  return pairBySimilarity(olds.map(textOfY), news.map(textOfP), (o, n) => compatible(olds[o]!, news[n]!));
}

/** The formatted pieces of a run of XmlTexts, adjacent pieces of equal formatting joined (as ProseMirror does). */
function deltaOf(texts: Y.XmlText[]): { insert: string; attributes: Record<string, unknown> }[] {
  const out: { insert: string; attributes: Record<string, unknown> }[] = [];
  for (const text of texts) {
    for (const d of text.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
      const insert = typeof d.insert === 'string' ? d.insert : '';
      const attributes = d.attributes ?? {};
      const last = out[out.length - 1];
      if (last && canonical(last.attributes) === canonical(attributes)) last.insert += insert;
      else if (insert !== '') out.push({ insert, attributes });
    }
  }
  return out;
}

function textOfY(y: YChild): string {
  if (Array.isArray(y))
    return deltaOf(y)
      .map((d) => d.insert)
      .join('');
  return y instanceof Y.XmlElement ? runsOf(y.toArray()).map(textOfY).join('\n') : '';
}

function textOfP(p: Child): string {
  if (Array.isArray(p)) return p.map((t) => t.text ?? '').join('');
  return childrenOf(p).map(textOfP).join('\n');
}

/** A node's children as y-prosemirror stores them: each run of text nodes is one XmlText. */
function childrenOf(node: PMNode): Child[] {
  const out: Child[] = [];
  node.forEach((child) => {
    const last = out[out.length - 1];
    if (child.isText && Array.isArray(last)) last.push(child);
    else out.push(child.isText ? [child] : child);
  });
  return out;
}

function compatible(y: YChild, p: Child): boolean {
  if (Array.isArray(y)) return Array.isArray(p);
  return y instanceof Y.XmlElement && !Array.isArray(p) && y.nodeName === p.type.name;
}

function markAttributes(marks: readonly Mark[]): Record<string, unknown> {
  return Object.fromEntries(marks.map((mark) => [mark.type.name, mark.attrs]));
}

function presentAttrs(attrs: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(attrs)
      .filter(([key, value]) => value !== null && value !== undefined && key !== 'ychange')
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

/** Full-content keys: equal keys mean equal content, so LCS matches are exact. */
function keyOfY(y: YChild): string {
  if (Array.isArray(y)) return `T${canonical(deltaOf(y).map((d) => [d.insert, d.attributes]))}`;
  if (y instanceof Y.XmlElement) {
    // An emptied text run (see above) reads as no child at all.
    const children = runsOf(y.toArray()).filter((c) => !Array.isArray(c) || c.some((t) => t.length > 0));
    return `E${y.nodeName}${canonical(presentAttrs(y.getAttributes()))}(${children.map(keyOfY).join('|')})`;
  }
  return 'H';
}

function keyOfP(p: Child): string {
  if (Array.isArray(p)) return `T${canonical(p.map((t) => [t.text, markAttributes(t.marks)]))}`;
  return `E${p.type.name}${canonical(presentAttrs(p.attrs))}(${childrenOf(p).map(keyOfP).join('|')})`;
}

function updateAttributes(element: Y.XmlElement, node: PMNode): void {
  const have = element.getAttributes() as Record<string, unknown>;
  const want = presentAttrs(node.attrs);
  for (const [key, value] of Object.entries(want)) {
    if (canonical(have[key]) !== canonical(value)) element.setAttribute(key, value as string);
  }
  for (const key of Object.keys(have)) if (!(key in want)) element.removeAttribute(key);
}

/**
 * Edits a run of XmlTexts (the children of `parent` from index `at`) in place as one text: a code-point diff
 * of the strings, each deletion taken from the XmlTexts holding it, then the marks as formatting. A run's
 * later texts are joined into the one before, at any time, by y-prosemirror's reader on the client that made
 * them, and what another peer inserted into such a text meanwhile vanishes with it: an insertion goes into
 * the run's first text or one this client made wherever the position allows, else, at the run's end, into a
 * new text of this client's (appended to `texts`).
 */
function updateText(
  parent: Y.XmlFragment | Y.XmlElement,
  at: number,
  texts: Y.XmlText[],
  nodes: PMNode[],
): void {
  const delta = deltaOf(texts);
  const before = delta.map((d) => d.insert).join('');
  const after = nodes.map((n) => n.text ?? '').join('');
  const own = parent.doc?.clientID;
  const safe = (i: number) => i === 0 || texts[i]!._item?.id.client === own;
  /** The XmlText holding position `index` of the run, and its start. */
  const holding = (index: number) => {
    let start = 0;
    for (const text of texts.slice(0, -1)) {
      if (index < start + text.length) return { text, start };
      start += text.length;
    }
    return { text: texts[texts.length - 1]!, start };
  };
  /** Where an insertion at `index` goes (see above). */
  const insertion = (index: number) => {
    let start = 0;
    let unsafe: { text: Y.XmlText; start: number } | null = null;
    for (const [i, text] of texts.entries()) {
      if (index >= start && index <= start + text.length) {
        if (safe(i)) return { text, start };
        unsafe ??= { text, start };
      }
      start += text.length;
    }
    if (unsafe && index < start) return unsafe;
    const text = new Y.XmlText();
    parent.insert(at + texts.length, [text]);
    texts.push(text);
    return { text, start };
  };
  let index = 0;
  for (const part of diffArrays([...before], [...after])) {
    const value = part.value.join('');
    if (part.removed) {
      for (let left = value.length; left > 0; ) {
        const { text, start } = holding(index);
        const count = Math.min(left, text.length - (index - start));
        text.delete(index - start, count);
        left -= count;
      }
    } else if (part.added) {
      const { text, start } = insertion(index);
      text.insert(index - start, value);
      index += value.length;
    } else index += value.length;
  }
  // Formatting: every key present anywhere is set (or cleared with null) over each run, as y-prosemirror does.
  const keys = new Set<string>();
  for (const d of delta) for (const key of Object.keys(d.attributes)) keys.add(key);
  const cleared = Object.fromEntries([...keys].map((key) => [key, null]));
  const marks = nodes.map((n) => ({
    length: n.text!.length,
    attributes: { ...cleared, ...markAttributes(n.marks) },
  }));
  let start = 0;
  for (const text of texts) {
    const end = start + text.length;
    const pieces: { retain: number; attributes: Record<string, unknown> }[] = [];
    let offset = 0;
    for (const { length, attributes } of marks) {
      const from = Math.max(offset, start);
      const to = Math.min(offset + length, end);
      if (to > from) pieces.push({ retain: to - from, attributes });
      offset += length;
    }
    if (pieces.length > 0) text.applyDelta(pieces);
    start = end;
  }
}

/** A new Yjs type for content that has no counterpart yet. */
function create(p: Child): Y.XmlElement | Y.XmlText {
  if (Array.isArray(p)) {
    const text = new Y.XmlText();
    text.applyDelta(p.map((t) => ({ insert: t.text, attributes: markAttributes(t.marks) })));
    return text;
  }
  const element = new Y.XmlElement(p.type.name);
  for (const [key, value] of Object.entries(presentAttrs(p.attrs)))
    element.setAttribute(key, value as string);
  element.insert(0, childrenOf(p).map(create));
  return element;
}
