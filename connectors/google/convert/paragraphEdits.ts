/**
 * Edits inside one paragraph: a character diff (`connectors/model/textDiff.ts`, surrogate-pair safe) of old and new content,
 * where each image or atom is one private-use character, turned into deletes, inserts and style updates
 * from right to left so that every index still refers to the old document. Semantic cleanup merges
 * fragmented edits ("lazy" -> "sleepy" is one delete and one insert, not three edits) in paragraphs
 * without objects, so an image or atom is never deleted and re-inserted. A one-character edit is one
 * insertText (plus a style update only when the inherited style is not the wanted one).
 */
import { DIFF_DELETE, DIFF_EQUAL, DIFF_INSERT, diffText, type TextDiffStep } from '../../model/textDiff.ts';
import { marksKey } from './project.ts';
import { type ParaProps, propsOf, type RequestWriter, writableImageUri } from './requestWriter.ts';
import { type CharEdit, slideEdits } from './slideEdits.ts';
import { inlineKey } from './unitKey.ts';
import type { Inline, Marks, ParaUnit } from './units.ts';

/** One diff character: its inline (text char or object) and, for text, its marks. */
interface Char {
  ch: string;
  /** null for objects (images, atoms) and don't-care characters (line breaks). */
  marks: Marks | null;
  inline: Inline;
}

/** The marks a character should have in Google: code lines are monospace throughout. */
function charMarks(p: ParaUnit, inline: Inline): Marks | null {
  if (inline.t !== 'text') return null;
  return p.code ? { code: true } : inline.marks;
}

function charsOf(p: ParaUnit, objectChar: (key: string) => string): Char[] {
  const out: Char[] = [];
  for (const inline of p.inlines) {
    if (inline.t === 'text') {
      const marks = charMarks(p, inline);
      for (const ch of inline.text.split('')) out.push({ ch, marks: ch === '\u000b' ? null : marks, inline });
    } else out.push({ ch: objectChar(inlineKey(inline)), marks: null, inline });
  }
  return out;
}

/** A per-paragraph-pair mapping of objects to private-use characters (never typed into Google). */
export function objectEncoder(): (key: string) => string {
  const codes = new Map<string, string>();
  return (key) => {
    let ch = codes.get(key);
    if (!ch) {
      ch = String.fromCharCode(0xe000 + (codes.size % 0x0c00));
      codes.set(key, ch);
    }
    return ch;
  };
}

/**
 * Inserts `chars` at index `at` (right to left, chunk by chunk), styling text whose inherited marks
 * (`inherited`, null when unknown) differ from the wanted ones. `newline` appends a paragraph end.
 */
export function insertChars(
  w: RequestWriter,
  at: number,
  chars: Char[],
  inherited: Marks | null,
  newline: boolean,
): void {
  type Chunk = { text: Char[] } | { object: Inline };
  const chunks: Chunk[] = [];
  for (const c of chars) {
    const last = chunks[chunks.length - 1];
    if (c.inline.t !== 'text') {
      if (c.inline.t === 'atom' && c.inline.note) chunks.push({ object: c.inline });
      else if (c.inline.t === 'atom') {
        w.warnings.add(
          'GDOCS_ATOM_AS_TEXT',
          'An atom that Google Docs cannot recreate was written as its label',
        );
        const label = [...c.inline.label].map((ch) => ({
          ch,
          marks: {},
          inline: { t: 'text', text: ch, marks: {} } as Inline,
        }));
        if (last && 'text' in last) last.text.push(...label);
        else chunks.push({ text: label });
      } else chunks.push({ object: c.inline });
    } else if (last && 'text' in last) last.text.push(c);
    else chunks.push({ text: [c] });
  }
  if (newline) {
    const nl: Char = { ch: '\n', marks: null, inline: { t: 'text', text: '\n', marks: {} } };
    const last = chunks[chunks.length - 1];
    if (last && 'text' in last) last.text.push(nl);
    else chunks.push({ text: [nl] });
  }
  for (let i = chunks.length - 1; i >= 0; i--) {
    const chunk = chunks[i]!;
    if ('object' in chunk) {
      const image = chunk.object;
      if (image.t === 'atom' && image.note) w.createFootnote(at, image.note);
      if (image.t !== 'image') continue;
      const uri = writableImageUri(image, w.imageUri, w.warnings);
      if (!uri) continue;
      w.requests.push({ insertInlineImage: { location: { index: at }, uri } });
      continue;
    }
    const text = chunk.text.map((c) => c.ch).join('');
    w.insertText(at, text);
    // Don't-care characters take their neighbour's marks so they do not split style runs.
    let current: Marks | null = null;
    const wanted = chunk.text.map((c) => {
      if (c.marks) current = c.marks;
      return c.ch === '\n' ? null : (c.marks ?? current);
    });
    let k = 0;
    while (k < wanted.length) {
      const m = wanted[k];
      if (!m) {
        k++;
        continue;
      }
      let j = k + 1;
      while (j < wanted.length && wanted[j] && marksKey(wanted[j]!) === marksKey(m)) j++;
      w.restyle(at + k, at + j, inherited, m);
      k = j;
    }
  }
}

/** Marks inherited by text inserted after old character `k - 1` (null when unknown). */
function inheritedAt(chars: Char[], k: number): Marks | null {
  const before = chars[k - 1];
  if (before?.inline.t !== 'text' || !before.marks) return null;
  if (!before.marks.link) return before.marks;
  // After a link, whether Google extends the link (and its underline) to typed text is not documented:
  // mark both as unknown so the wanted link and underline are always set explicitly.
  return { ...before.marks, link: UNKNOWN_LINK, underline: true };
}

/** A link value no real link has: "the inherited link is unknown". */
const UNKNOWN_LINK = '\u0000unknown';

const isObjectChar = (c: number) => c >= 0xe000 && c < 0xec00;

/**
 * A diff that first matches objects (images, atoms) as anchors, then diffs the text between consecutive
 * anchors: a plain text diff may trade an object for an equally long run of text, and an object deleted and
 * re-inserted is an object lost. Never a semantic cleanup: it turns short unchanged runs between edits into a
 * delete and re-insert, and a write sent with targetRevisionId is transformed over what Google users typed
 * meanwhile, so re-inserted text resurrects what they deleted and drops what they typed inside it.
 */
function anchoredDiff(a: string, b: string): TextDiffStep[] {
  const objects = (s: string) => [...s].flatMap((ch, i) => (isObjectChar(ch.charCodeAt(0)) ? [i] : []));
  const oa = objects(a);
  const ob = objects(b);
  const anchors: Array<[number, number]> = [];
  let x = 0;
  let y = 0;
  for (const [op, text] of diffText(oa.map((i) => a[i]).join(''), ob.map((i) => b[i]).join(''))) {
    for (let k = 0; k < text.length; k++) {
      if (op === DIFF_EQUAL) anchors.push([oa[x++]!, ob[y++]!]);
      else if (op === DIFF_DELETE) x++;
      else y++;
    }
  }
  const out: TextDiffStep[] = [];
  let pa = 0;
  let pb = 0;
  const segment = (ea: number, eb: number) => {
    const sa = a.slice(pa, ea);
    const sb = b.slice(pb, eb);
    out.push(...diffText(sa, sb));
  };
  for (const [ia, ib] of anchors) {
    segment(ia, ib);
    out.push([DIFF_EQUAL, a[ia]!]);
    pa = ia + 1;
    pb = ib + 1;
  }
  segment(a.length, b.length);
  return out;
}

/**
 * Diffs two character sequences code point by code point (a surrogate pair is one diff symbol, through a
 * private-use stand-in, so no edit can split it), then maps the steps back to UTF-16 offsets.
 */
function charDiff(oldChars: Char[], newChars: Char[]): CharEdit[] {
  const astral = new Map<string, string>();
  const encode = (chars: Char[]) => {
    let str = '';
    const offsets: number[] = [];
    for (let k = 0; k < chars.length; k++) {
      offsets.push(k);
      const c = chars[k]!.ch.charCodeAt(0);
      if (c >= 0xd800 && c <= 0xdbff && k + 1 < chars.length) {
        const pair = chars[k]!.ch + chars[k + 1]!.ch;
        let stand = astral.get(pair);
        if (!stand) {
          stand = String.fromCharCode(0xf8ff - (astral.size % 0x0c00));
          astral.set(pair, stand);
        }
        str += stand;
        k++;
      } else str += chars[k]!.ch;
    }
    offsets.push(chars.length);
    return { str, offsets };
  };
  const a = encode(oldChars);
  const b = encode(newChars);
  const pieces = anchoredDiff(a.str, b.str);
  const edits: CharEdit[] = [];
  let oi = 0;
  let ni = 0;
  for (const [op, text] of pieces) {
    const oTo = op === DIFF_INSERT ? oi : oi + text.length;
    const nTo = op === DIFF_DELETE ? ni : ni + text.length;
    const kind = op === DIFF_EQUAL ? 0 : op === DIFF_DELETE ? -1 : 1;
    const last = edits[edits.length - 1];
    if (last && last.op === kind) {
      last.oTo = a.offsets[oTo]!;
      last.nTo = b.offsets[nTo]!;
    } else
      edits.push({
        op: kind,
        oFrom: a.offsets[oi]!,
        oTo: a.offsets[oTo]!,
        nFrom: b.offsets[ni]!,
        nTo: b.offsets[nTo]!,
      });
    oi = oTo;
    ni = nTo;
  }
  return edits;
}

/**
 * Rewrites paragraph `o` (read, with indices) into `n`: text and object edits, style updates, then
 * paragraph properties (against `believed`, the properties Google holds now; null when unknown).
 */
export function editParagraph(w: RequestWriter, o: ParaUnit, n: ParaUnit, believed: ParaProps | null): void {
  const g = o.g!;
  const enc = objectEncoder();
  const oldChars = charsOf(o, enc);
  const newChars = charsOf(n, enc);
  const index: number[] = [];
  o.inlines.forEach((inline, i) => {
    if (inline.t === 'text') for (let j = 0; j < inline.text.length; j++) index.push(g.inlineStarts[i]! + j);
    else index.push(g.inlineStarts[i]!);
  });
  index.push(g.end - 1);
  const edits = charDiff(oldChars, newChars);
  slideEdits(edits, oldChars, newChars);
  for (let e = edits.length - 1; e >= 0; e--) {
    const edit = edits[e]!;
    if (edit.op === -1) w.deleteRange(index[edit.oFrom]!, index[edit.oTo]!);
    else if (edit.op === 1) {
      insertChars(
        w,
        index[edit.oFrom]!,
        newChars.slice(edit.nFrom, edit.nTo),
        inheritedAt(oldChars, edit.oFrom),
        false,
      );
    } else {
      // Equal content: update styles where the marks changed, run by run, right to left.
      let k = edit.oTo - edit.oFrom;
      while (k > 0) {
        const from = oldChars[edit.oFrom + k - 1]!.marks;
        const to = newChars[edit.nFrom + k - 1]!.marks;
        if (!from || !to || marksKey(from) === marksKey(to)) {
          k--;
          continue;
        }
        let j = k - 1;
        while (j > 0) {
          const f = oldChars[edit.oFrom + j - 1]!.marks;
          const t = newChars[edit.nFrom + j - 1]!.marks;
          if (!f || !t || marksKey(f) !== marksKey(from) || marksKey(t) !== marksKey(to)) break;
          if (index[edit.oFrom + j]! !== index[edit.oFrom + j - 1]! + 1) break;
          j--;
        }
        w.restyle(index[edit.oFrom + j]!, index[edit.oFrom + k - 1]! + 1, from, to);
        k = j;
      }
    }
  }
  w.paragraphProps(g.start, propsOf(n), believed);
}

/** Inserts paragraph `n`'s content at `at` (the start of an empty paragraph or before a paragraph). */
export function insertParagraphContent(w: RequestWriter, at: number, n: ParaUnit, newline: boolean): void {
  insertChars(w, at, charsOf(n, objectEncoder()), null, newline);
}
