import { describe, expect, it } from 'vitest';
import type { WordNamespace } from '../../../client/word-addin/wordApi.ts';
import { installOffice } from '../../emulators/word/officeJs.ts';
import { WordDocument } from '../../emulators/word/wordDocument.ts';

/** `Word.run` over an emulated document. */
function wordOver(document: WordDocument): WordNamespace {
  const globals: Record<string, unknown> = {};
  installOffice(globals, { document });
  return globals.Word as WordNamespace;
}

describe('Word API emulator: Range.search and RangeCollection.getFirst (what the add-in guards writes with)', () => {
  it('searches inside a range only, and getFirst gives the first match', async () => {
    const document = new WordDocument(['one two one two']);
    await wordOver(document).run(async (context) => {
      const paragraphs = context.document.body.paragraphs.load('items/text');
      await context.sync();
      const second = paragraphs.items[0]!.search('two one two', { matchCase: true }).getFirst();
      const inside = second.search('one', { matchCase: true }).load('items');
      await context.sync();
      expect(inside.items).toHaveLength(1);
      inside.items[0]!.insertText('ONE', 'Replace');
    });
    expect(document.texts()).toEqual(['one two ONE two']);
  });

  it('getFirst of an empty collection fails the batch with ItemNotFound before the writes queued after it', async () => {
    const document = new WordDocument(['alpha beta']);
    const failed = wordOver(document).run(async (context) => {
      const paragraphs = context.document.body.paragraphs.load('items/text');
      await context.sync();
      const paragraph = paragraphs.items[0]!;
      paragraph.search('gamma', { matchCase: true }).getFirst().insertText('x', 'Replace');
      paragraph.insertText(' written', 'End');
      await context.sync();
    });
    await expect(failed).rejects.toMatchObject({ code: 'ItemNotFound' });
    expect(document.texts()).toEqual(['alpha beta']);
    expect(document.apiWrites).toBe(0);
  });
});
