/**
 * The part of the Word JavaScript API (WordApi 1.1 to 1.6) the add-in uses, typed here so the binding
 * depends on exactly what it calls: Office.js's `Word` in Word, and the emulator in test/emulators/word/ in
 * tests. Every object is a proxy: `load()` queues a read, `context.sync()` runs the batch.
 */
export interface WordRange {
  readonly text: string;
  load(properties?: string | string[]): WordRange;
  insertText(text: string, location: 'Replace' | 'Start' | 'End' | 'Before' | 'After'): WordRange;
  delete(): void;
  search(text: string, options?: { matchCase?: boolean }): WordRangeCollection;
}

export interface WordRangeCollection {
  readonly items: WordRange[];
  load(properties?: string | string[]): WordRangeCollection;
  /** WordApi 1.3: the first range; the batch fails with `ItemNotFound` when the collection is empty. */
  getFirst(): WordRange;
}

export interface WordParagraphProxy {
  readonly text: string;
  styleBuiltIn: string;
  readonly tableNestingLevel: number;
  readonly isListItem: boolean;
  readonly uniqueLocalId: string;
  load(properties?: string | string[]): WordParagraphProxy;
  insertText(text: string, location: 'Replace' | 'Start' | 'End'): WordRange;
  insertParagraph(text: string, location: 'Before' | 'After'): WordParagraphProxy;
  delete(): void;
  search(text: string, options?: { matchCase?: boolean }): WordRangeCollection;
}

export interface WordParagraphCollection {
  readonly items: WordParagraphProxy[];
  load(properties?: string | string[]): WordParagraphCollection;
}

export interface ParagraphEvent {
  type: string;
  uniqueLocalIds: string[];
  source: 'Local' | 'Remote';
}

/** `EventHandlerResult`: removed with `remove()` and a sync of the context that added it. */
export interface WordEventHandle {
  remove(): void;
}

export interface WordEventSlot {
  add(handler: (event: ParagraphEvent) => unknown): WordEventHandle;
}

export interface WordRequestContext {
  readonly document: {
    readonly body: {
      readonly paragraphs: WordParagraphCollection;
      insertParagraph(text: string, location: 'Start' | 'End'): WordParagraphProxy;
    };
    readonly onParagraphAdded: WordEventSlot;
    readonly onParagraphChanged: WordEventSlot;
    readonly onParagraphDeleted: WordEventSlot;
  };
  sync(): Promise<void>;
}

/** The `Word` namespace: `Word.run(batch)`. */
export interface WordNamespace {
  run<T>(batch: (context: WordRequestContext) => Promise<T>): Promise<T>;
}
