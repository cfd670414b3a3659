import { dialogEventTypes, officeDialogApi } from './officeDialog.ts';
import {
  builtInStyles,
  localizedStyle,
  type ParagraphHandler,
  type WordDocument,
  type WordParagraph,
} from './wordDocument.ts';

/**
 * The Office.js surface the Docbridge add-in uses, over a `WordDocument`: `Office.onReady`,
 * `Office.context.{document.url, requirements, ui}` (the dialog API in a browser: officeDialog.ts),
 * `Office.EventType`, `Office.auth.getAccessToken`, and `Word.run` with Word's
 * batching model. Every object is a proxy: methods and property sets queue operations, `load()` queues a
 * read, `context.sync()` runs the batch in order and fills what was loaded, and reading a property that was
 * not loaded throws `PropertyNotLoaded` as Word does. Proxies are bound to the paragraph they were resolved
 * to, so a paragraph deleted meanwhile fails the batch with `ItemNotFound`. Installed on a global object
 * (`window` in Chromium, where the test routes Office.js's CDN URL to this code, or a plain object in Node).
 */
export interface OfficeOptions {
  document: WordDocument;
  /** Requirement sets the host claims, e.g. `{ WordApi: '1.6' }`. */
  requirements?: Record<string, string>;
  /** What `Office.auth.getAccessToken` resolves to (an Error rejects, as when SSO is unavailable). */
  accessToken?: () => Promise<string>;
  /** The browser window, for `Office.context.ui` (the dialog API); absent in Node. */
  window?: Window;
}

/** `OfficeExtension.Error`: what Word rejects a batch or a property read with. */
export class OfficeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RichApi.Error';
  }
}

type Operation = () => void;

class Batch {
  readonly operations: Operation[] = [];
  constructor(readonly document: WordDocument) {}
}

/** A property bag that throws on reads of what was not loaded. */
class ProxyObject {
  protected readonly loaded = new Map<string, unknown>();
  constructor(protected readonly batch: Batch) {}
  protected read<T>(name: string): T {
    if (!this.loaded.has(name)) {
      throw new OfficeError(
        'PropertyNotLoaded',
        `The property '${name}' is not available. Before reading the property's value, call the load method on the containing object and call "context.sync()" on the associated request context.`,
      );
    }
    return this.loaded.get(name) as T;
  }
}

function names(spec: string | string[] | undefined): string[] {
  const list = spec === undefined ? [] : Array.isArray(spec) ? spec : spec.split(',');
  return list.map((s) => s.trim()).filter(Boolean);
}

/** Where a proxy's paragraph is: resolved when the operation that makes it runs. */
interface ParagraphRef {
  id: string | null;
}

function locate(document: WordDocument, ref: ParagraphRef): WordParagraph {
  const paragraph = ref.id === null ? undefined : document.paragraphs[document.indexOf(ref.id)];
  if (!paragraph) throw new OfficeError('ItemNotFound', 'The requested resource does not exist.');
  return paragraph;
}

class Range extends ProxyObject {
  constructor(
    batch: Batch,
    /** Resolves the range's paragraph and span when the batch runs. */
    readonly where: () => { paragraph: WordParagraph; start: number; end: number },
  ) {
    super(batch);
  }
  get text(): string {
    return this.read('text');
  }
  load(spec?: string | string[]): this {
    const wanted = names(spec ?? 'text');
    this.batch.operations.push(() => {
      const { paragraph, start, end } = this.where();
      if (wanted.includes('text')) this.loaded.set('text', paragraph.text.slice(start, end));
    });
    return this;
  }
  insertText(text: string, location: 'Replace' | 'Start' | 'End' | 'Before' | 'After'): Range {
    let result = { paragraph: null as WordParagraph | null, start: 0, end: 0 };
    this.batch.operations.push(() => {
      const { paragraph, start, end } = this.where();
      const document = this.batch.document;
      const index = document.indexOf(paragraph.uniqueLocalId);
      const [from, to] =
        location === 'Replace'
          ? [start, end]
          : location === 'Start' || location === 'Before'
            ? [start, start]
            : [end, end];
      document.editText(index, from, to, text);
      document.apiWrites += 1;
      document.fire('paragraphChanged', [paragraph.uniqueLocalId]);
      result = { paragraph, start: from, end: from + text.length };
    });
    return new Range(this.batch, () => ({ ...result, paragraph: result.paragraph! }));
  }
  delete(): void {
    this.insertText('', 'Replace');
  }
  /** `Range.search` (WordApi 1.1): literal search inside the range, as `Paragraph.search` inside a paragraph. */
  search(text: string, options: { matchCase?: boolean } = {}): RangeCollection {
    return searchIn(this.batch, this.where, text, options);
  }
}

/**
 * Occurrences of `text` inside a span (wildcards off), left to right without overlap, as live ranges: edits
 * made before them later (by the user, between syncs) move them. The search string is 1 to 255 characters.
 */
function searchIn(
  batch: Batch,
  where: () => { paragraph: WordParagraph; start: number; end: number },
  text: string,
  options: { matchCase?: boolean },
): RangeCollection {
  if (text.length === 0 || text.length > 255) {
    throw new OfficeError('InvalidArgument', 'The search string must be 1 to 255 characters long.');
  }
  return new RangeCollection(batch, () => {
    const { paragraph, start, end } = where();
    const span = paragraph.text.slice(start, end);
    const haystack = options.matchCase ? span : span.toLowerCase();
    const needle = options.matchCase ? text : text.toLowerCase();
    const ranges: Range[] = [];
    for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) {
      const found = batch.document.track(paragraph.uniqueLocalId, start + at, start + at + needle.length);
      ranges.push(
        new Range(batch, () => ({
          paragraph: locate(batch.document, { id: found.paragraphId }),
          start: found.start,
          end: found.end,
        })),
      );
    }
    return ranges;
  });
}

class RangeCollection extends ProxyObject {
  constructor(
    batch: Batch,
    private readonly find: () => Range[],
  ) {
    super(batch);
  }
  get items(): Range[] {
    return this.read('items');
  }
  load(spec?: string | string[]): this {
    const wanted = names(spec).map((n) => n.replace(/^items\//, ''));
    this.batch.operations.push(() => {
      const ranges = this.find();
      this.loaded.set('items', ranges);
      if (wanted.includes('text')) for (const range of ranges) range.load('text');
    });
    return this;
  }
  /** `getFirst` (WordApi 1.3): the first range; the batch fails with `ItemNotFound` when there is none. */
  getFirst(): Range {
    let first: Range | undefined;
    this.batch.operations.push(() => {
      first = this.find()[0];
      if (!first) throw new OfficeError('ItemNotFound', 'The requested resource does not exist.');
    });
    return new Range(this.batch, () => first!.where());
  }
}

class Paragraph extends ProxyObject {
  constructor(
    batch: Batch,
    readonly ref: ParagraphRef,
  ) {
    super(batch);
  }
  get text(): string {
    return this.read('text');
  }
  get styleBuiltIn(): string {
    return this.read('styleBuiltIn');
  }
  set styleBuiltIn(style: string) {
    this.batch.operations.push(() => {
      if (!(builtInStyles as readonly string[]).includes(style)) {
        throw new OfficeError('InvalidArgument', `The argument is invalid or missing: styleBuiltIn ${style}`);
      }
      const document = this.batch.document;
      const paragraph = locate(document, this.ref);
      paragraph.styleBuiltIn = style as WordParagraph['styleBuiltIn'];
      document.apiWrites += 1;
    });
  }
  get style(): string {
    return this.read('style');
  }
  get uniqueLocalId(): string {
    return this.read('uniqueLocalId');
  }
  get tableNestingLevel(): number {
    return this.read('tableNestingLevel');
  }
  get isListItem(): boolean {
    return this.read('isListItem');
  }
  load(spec?: string | string[]): this {
    const wanted = names(spec ?? 'text,style,styleBuiltIn,uniqueLocalId,tableNestingLevel,isListItem');
    this.batch.operations.push(() => this.fill(wanted));
    return this;
  }
  /** Runs inside sync: copies the named properties of the paragraph as it is now. */
  fill(wanted: string[]): void {
    const paragraph = locate(this.batch.document, this.ref);
    const values: Record<string, unknown> = {
      text: paragraph.text,
      style: localizedStyle(paragraph.styleBuiltIn),
      styleBuiltIn: paragraph.styleBuiltIn,
      uniqueLocalId: paragraph.uniqueLocalId,
      tableNestingLevel: paragraph.tableNestingLevel,
      isListItem: paragraph.styleBuiltIn === 'ListBullet' || paragraph.styleBuiltIn === 'ListNumber',
    };
    for (const name of wanted) {
      if (!(name in values)) throw new OfficeError('InvalidArgument', `Unknown property '${name}'.`);
      this.loaded.set(name, values[name]);
    }
  }
  private whole(): Range {
    return new Range(this.batch, () => {
      const paragraph = locate(this.batch.document, this.ref);
      return { paragraph, start: 0, end: paragraph.text.length };
    });
  }
  insertText(text: string, location: 'Replace' | 'Start' | 'End'): Range {
    if (text.includes('\n') || text.includes('\r')) {
      throw new OfficeError(
        'InvalidArgument',
        'insertText cannot insert a paragraph break; use insertParagraph.',
      );
    }
    return this.whole().insertText(text, location);
  }
  insertParagraph(text: string, location: 'Before' | 'After'): Paragraph {
    const ref: ParagraphRef = { id: null };
    this.batch.operations.push(() => {
      const document = this.batch.document;
      const anchor = locate(document, this.ref);
      const created = document.make(text);
      const index = document.indexOf(anchor.uniqueLocalId);
      document.paragraphs.splice(location === 'Before' ? index : index + 1, 0, created);
      document.apiWrites += 1;
      document.fire('paragraphAdded', [created.uniqueLocalId]);
      ref.id = created.uniqueLocalId;
    });
    return new Paragraph(this.batch, ref);
  }
  delete(): void {
    this.batch.operations.push(() => {
      const document = this.batch.document;
      const paragraph = locate(document, this.ref);
      document.paragraphs.splice(document.indexOf(paragraph.uniqueLocalId), 1);
      if (document.paragraphs.length === 0) document.paragraphs.push(document.make(''));
      document.apiWrites += 1;
      document.fire('paragraphDeleted', [paragraph.uniqueLocalId]);
    });
  }
  /** Literal search inside the paragraph (wildcards off), occurrences left to right without overlap. */
  search(text: string, options: { matchCase?: boolean } = {}): RangeCollection {
    return this.whole().search(text, options);
  }
}

class ParagraphCollection extends ProxyObject {
  get items(): Paragraph[] {
    return this.read('items');
  }
  load(spec?: string | string[]): this {
    const wanted = names(spec).map((n) => n.replace(/^items\//, ''));
    this.batch.operations.push(() => {
      const items = this.batch.document.paragraphs.map(
        (p) => new Paragraph(this.batch, { id: p.uniqueLocalId }),
      );
      if (wanted.length > 0) for (const item of items) item.fill(wanted);
      this.loaded.set('items', items);
    });
    return this;
  }
}

class Body extends ProxyObject {
  get paragraphs(): ParagraphCollection {
    return new ParagraphCollection(this.batch);
  }
  insertParagraph(text: string, location: 'Start' | 'End'): Paragraph {
    const ref: ParagraphRef = { id: null };
    this.batch.operations.push(() => {
      const document = this.batch.document;
      const created = document.make(text);
      if (location === 'Start') document.paragraphs.unshift(created);
      else document.paragraphs.push(created);
      document.apiWrites += 1;
      document.fire('paragraphAdded', [created.uniqueLocalId]);
      ref.id = created.uniqueLocalId;
    });
    return new Paragraph(this.batch, ref);
  }
}

class EventSlot {
  constructor(
    private readonly batch: Batch,
    private readonly handlers: Set<ParagraphHandler>,
  ) {}
  add(handler: ParagraphHandler): { remove(): void } {
    this.batch.operations.push(() => this.handlers.add(handler));
    return { remove: () => this.batch.operations.push(() => this.handlers.delete(handler)) };
  }
}

class DocumentProxy extends ProxyObject {
  get body(): Body {
    return new Body(this.batch);
  }
  get onParagraphAdded(): EventSlot {
    return new EventSlot(this.batch, this.batch.document.handlers.paragraphAdded);
  }
  get onParagraphChanged(): EventSlot {
    return new EventSlot(this.batch, this.batch.document.handlers.paragraphChanged);
  }
  get onParagraphDeleted(): EventSlot {
    return new EventSlot(this.batch, this.batch.document.handlers.paragraphDeleted);
  }
}

export class RequestContext {
  private batch: Batch;
  readonly document: DocumentProxy;
  constructor(document: WordDocument) {
    this.batch = new Batch(document);
    this.document = new DocumentProxy(this.batch);
  }
  /** Runs the queued operations in order; the first that fails rejects the sync, as a Word batch does. */
  async sync(): Promise<void> {
    const operations = this.batch.operations.splice(0);
    await new Promise((resolve) => setTimeout(resolve, 0));
    for (const operation of operations) operation();
  }
}

/** Installs `Office` and `Word` on `target` for one emulated document. */
export function installOffice(target: Record<string, unknown>, options: OfficeOptions): void {
  const requirements = options.requirements ?? { WordApi: '1.6' };
  const atLeast = (have: string, want: string) => {
    const [ha = 0, hb = 0] = have.split('.').map(Number);
    const [wa = 0, wb = 0] = want.split('.').map(Number);
    return ha > wa || (ha === wa && hb >= wb);
  };
  target.Office = {
    HostType: { Word: 'Word' },
    EventType: dialogEventTypes,
    onReady: async () => ({ host: 'Word', platform: 'OfficeOnline' }),
    context: {
      document: { url: options.document.url },
      requirements: {
        isSetSupported: (name: string, version = '1.1') =>
          requirements[name] !== undefined && atLeast(requirements[name]!, version),
      },
      ...(options.window ? { ui: officeDialogApi(options.window) } : {}),
    },
    auth: {
      getAccessToken: () =>
        options.accessToken
          ? options.accessToken()
          : Promise.reject(Object.assign(new Error('SSO is not available'), { code: 13_000 })),
    },
  };
  target.Word = {
    run: async <T>(batch: (context: RequestContext) => Promise<T>): Promise<T> => {
      const context = new RequestContext(options.document);
      const result = await batch(context);
      // Word.run flushes what the batch queued after its last sync.
      await context.sync();
      return result;
    },
  };
}
