/**
 * The document inside the Word emulator: a body of paragraphs with Word's per-session `uniqueLocalId`s, the
 * user's selection, the paragraph event handlers an add-in registered, and a way for a test to act as the
 * Word user (typing, Enter, deleting, pasting), firing the events Word fires (WordApi 1.6:
 * `onParagraphAdded/Changed/Deleted`, `source: "Local"`) or, for the gaps Word is known to have (a fast
 * paste, tracked deletions), none. Written from Microsoft's Word JavaScript API reference as summarised in
 * ../shared/reference/remote-apis.md, section G.
 */

/** The built-in paragraph styles the emulator knows (`Word.BuiltInStyleName` values). */
export const builtInStyles = [
  'Normal',
  'Heading1',
  'Heading2',
  'Heading3',
  'Heading4',
  'Heading5',
  'Heading6',
  'Title',
  'Subtitle',
  'ListBullet',
  'ListNumber',
] as const;
export type BuiltInStyle = (typeof builtInStyles)[number];

/** `paragraph.style`: the localized style name Word reports beside `styleBuiltIn`. */
export function localizedStyle(style: BuiltInStyle): string {
  return style.replace(/^Heading(\d)$/, 'Heading $1').replace(/^List(Bullet|Number)$/, 'List $1');
}

export interface WordParagraph {
  uniqueLocalId: string;
  text: string;
  styleBuiltIn: BuiltInStyle;
  /** 0 outside tables. */
  tableNestingLevel: number;
}

export type ParagraphEventType = 'paragraphAdded' | 'paragraphChanged' | 'paragraphDeleted';
export interface ParagraphEventArgs {
  type: ParagraphEventType;
  uniqueLocalIds: string[];
  source: 'Local' | 'Remote';
}
export type ParagraphHandler = (args: ParagraphEventArgs) => unknown;

export interface Selection {
  paragraphId: string;
  offset: number;
}

/** A span of one paragraph that follows edits made around it, as a Word `Range` does. */
export interface LiveSpan {
  paragraphId: string;
  start: number;
  end: number;
}

let sessionCounter = 0;

export class WordDocument {
  paragraphs: WordParagraph[];
  selection: Selection | null = null;
  /** Write operations an add-in made through the API (for "no echo" assertions). */
  apiWrites = 0;
  readonly handlers: Record<ParagraphEventType, Set<ParagraphHandler>> = {
    paragraphAdded: new Set(),
    paragraphChanged: new Set(),
    paragraphDeleted: new Set(),
  };
  private readonly spans = new Set<LiveSpan>();
  private readonly session = ++sessionCounter;
  private counter = 0;

  constructor(
    texts: (string | { text: string; style?: BuiltInStyle; tableNestingLevel?: number })[] = [''],
    readonly url = 'https://contoso.sharepoint.com/sites/policy/Shared%20Documents/paper.docx',
  ) {
    this.paragraphs = texts.map((entry) => {
      const item = typeof entry === 'string' ? { text: entry } : entry;
      return this.make(item.text, item.style ?? 'Normal', item.tableNestingLevel ?? 0);
    });
  }

  /** A new paragraph with a fresh id, as Word gives one: per session, GUID-shaped, never reused. */
  make(text: string, style: BuiltInStyle = 'Normal', tableNestingLevel = 0): WordParagraph {
    this.counter += 1;
    const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
    const uniqueLocalId = `${hex(this.session, 8)}-0000-4000-8000-${hex(this.counter, 12)}`;
    return { uniqueLocalId, text, styleBuiltIn: style, tableNestingLevel };
  }

  indexOf(id: string): number {
    return this.paragraphs.findIndex((p) => p.uniqueLocalId === id);
  }

  /** Plain texts, for assertions. */
  texts(): string[] {
    return this.paragraphs.map((p) => p.text);
  }

  /** Queues an event to every handler of its type, after the current turn (Word's events are asynchronous). */
  fire(type: ParagraphEventType, ids: string[], source: 'Local' | 'Remote' = 'Local'): void {
    if (ids.length === 0) return;
    const args: ParagraphEventArgs = { type, uniqueLocalIds: ids, source };
    for (const handler of this.handlers[type]) setTimeout(() => void handler(args), 0);
  }

  /** A span that follows later edits (what `search` returns and `insertText` gives back). */
  track(paragraphId: string, start: number, end: number): LiveSpan {
    const span = { paragraphId, start, end };
    this.spans.add(span);
    return span;
  }

  /** Replaces `[start, end)` of a paragraph's text, moving the selection and live spans as Word does. */
  editText(index: number, start: number, end: number, text: string): void {
    const paragraph = this.paragraphs[index]!;
    paragraph.text = paragraph.text.slice(0, start) + text + paragraph.text.slice(end);
    const delta = text.length - (end - start);
    // An offset at the edit's start stays before inserted text (`after` false) or moves past it (true).
    const shift = (offset: number, after: boolean) =>
      offset < start || (offset === start && !after)
        ? offset
        : offset >= end
          ? offset + delta
          : start + text.length;
    const selection = this.selection;
    if (selection?.paragraphId === paragraph.uniqueLocalId) selection.offset = shift(selection.offset, false);
    for (const span of this.spans) {
      if (span.paragraphId !== paragraph.uniqueLocalId) continue;
      // Text inserted at either boundary of a range stays outside it, as with Word's ranges.
      span.start = shift(span.start, true);
      span.end = Math.max(span.start, shift(span.end, false));
    }
  }

  // --- The Word user, as a test drives it -------------------------------------------------------------

  /** Types `text` at `offset` of paragraph `index` with the caret there; `\n` is Enter (a new paragraph). */
  userType(index: number, offset: number, text: string, options: { events?: boolean } = {}): void {
    const events = options.events ?? true;
    const [first, ...rest] = text.split('\n');
    const paragraph = this.paragraphs[index]!;
    this.selection = { paragraphId: paragraph.uniqueLocalId, offset };
    if (rest.length === 0) {
      this.editText(index, offset, offset, first!);
      if (events) this.fire('paragraphChanged', [paragraph.uniqueLocalId]);
      return;
    }
    const tail = paragraph.text.slice(offset);
    // Ranges over the text after the caret keep covering it in the paragraph it moves to (Word's paragraphs
    // are marks in one story: Enter moves no text, so no range loses its text).
    const moving = [...this.spans].filter(
      (s) => s.paragraphId === paragraph.uniqueLocalId && s.start >= offset,
    );
    for (const span of moving) this.spans.delete(span);
    this.editText(index, offset, paragraph.text.length, first!);
    const added: WordParagraph[] = [];
    let at = index;
    for (const line of rest) {
      const next = this.make(line, paragraph.styleBuiltIn === 'ListBullet' ? 'ListBullet' : 'Normal');
      this.paragraphs.splice(++at, 0, next);
      added.push(next);
    }
    const last = this.paragraphs[at]!;
    const shift = last.text.length - offset;
    last.text += tail;
    for (const span of moving) {
      Object.assign(span, {
        paragraphId: last.uniqueLocalId,
        start: span.start + shift,
        end: span.end + shift,
      });
      this.spans.add(span);
    }
    this.selection = { paragraphId: last.uniqueLocalId, offset: last.text.length - tail.length };
    if (!events) return;
    this.fire('paragraphChanged', [paragraph.uniqueLocalId]);
    this.fire(
      'paragraphAdded',
      added.map((p) => p.uniqueLocalId),
    );
  }

  /** Deletes `[start, end)` of paragraph `index`; at the end of a paragraph with `joinNext`, merges the next. */
  userDelete(index: number, start: number, end: number, options: { events?: boolean } = {}): void {
    this.editText(index, start, end, '');
    if (options.events ?? true) this.fire('paragraphChanged', [this.paragraphs[index]!.uniqueLocalId]);
  }

  /** Joins paragraph `index + 1` onto paragraph `index` (Delete at the end of a paragraph). */
  userJoin(index: number, options: { events?: boolean } = {}): void {
    const [next] = this.paragraphs.splice(index + 1, 1);
    const paragraph = this.paragraphs[index]!;
    paragraph.text += next!.text;
    if (options.events ?? true) {
      this.fire('paragraphChanged', [paragraph.uniqueLocalId]);
      this.fire('paragraphDeleted', [next!.uniqueLocalId]);
    }
  }

  /** Deletes a whole paragraph (select it with its mark, then Delete). */
  userDeleteParagraph(index: number, options: { events?: boolean } = {}): void {
    const [gone] = this.paragraphs.splice(index, 1);
    if (this.paragraphs.length === 0) this.paragraphs.push(this.make(''));
    if (options.events ?? true) this.fire('paragraphDeleted', [gone!.uniqueLocalId]);
  }

  /** Applies a built-in style (formatting changes fire no event on the web: the add-in must poll for them). */
  userSetStyle(index: number, style: BuiltInStyle): void {
    this.paragraphs[index]!.styleBuiltIn = style;
  }

  /** A fast paste of several lines: Word is known to fire nothing for it. */
  userPaste(index: number, offset: number, text: string): void {
    this.userType(index, offset, text, { events: false });
  }
}
