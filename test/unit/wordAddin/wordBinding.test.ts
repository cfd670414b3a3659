import type { JSONContent } from '@tiptap/core';
import { afterEach, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import type { WordBinding } from '../../../client/word-addin/wordBinding.ts';
import { fromYjs } from '../../../connectors/model/yjs.ts';
import { WordDocument } from '../../emulators/word/wordDocument.ts';
import { waitFor } from '../../helpers/clients.ts';
import { bindWord, blockTexts, paragraph, peers, webEdit } from '../../helpers/wordPeers.ts';

const p = paragraph;
const h = (level: number, text: string): JSONContent => ({
  type: 'heading',
  attrs: { level },
  content: [{ type: 'text', text }],
});

const bindings: WordBinding[] = [];
afterEach(async () => {
  for (const binding of bindings.splice(0)) await binding.stop();
});

async function bind(
  word: WordDocument,
  doc: Y.Doc,
  options: { events?: boolean; requirements?: Record<string, string> } = {},
) {
  const binding = await bindWord(word, doc, options);
  bindings.push(binding);
  return binding;
}

/** Waits until Word and the web show the same paragraphs with no pass running, and returns them. */
async function settled(word: WordDocument, web: Y.Doc, binding: WordBinding) {
  await waitFor(async () => {
    await binding.idle();
    return JSON.stringify(word.texts()) === JSON.stringify(blockTexts(web));
  }, 'Word and the web to agree');
  return word.texts();
}

/**
 * Bound Word and a web peer over `texts`, with no poll, where each of `acts` runs right after the batch
 * (context.sync) of the binding it is keyed by, counted from when `armed()` is called: a user's action
 * between two batches of one pass. Resolves `reached` once the last ran.
 */
async function boundWithHook(
  texts: string[],
  acts: Record<number, (word: WordDocument, web: Y.Doc) => void>,
) {
  const { addin, web } = peers({ content: texts.map(p) });
  const word = new WordDocument(texts);
  let syncs = -1;
  const binding = await bindWord(word, addin, {
    pollMs: 3_600_000,
    afterSync: () => {
      if (syncs >= 0) acts[++syncs]?.(word, web);
    },
  });
  bindings.push(binding);
  const armed = () => {
    syncs = 0;
  };
  const last = Math.max(...Object.keys(acts).map(Number));
  const reached = () => waitFor(() => syncs >= last, `the action after batch ${last}`);
  return { web, word, binding, armed, reached };
}

describe('Word add-in binding (against the Word API emulator)', () => {
  it('brings Word to the shared document at start, then carries typing both ways', async () => {
    const { addin, web } = peers({ content: [h(1, 'Policy paper'), p('First point.'), p('Second point.')] });
    const word = new WordDocument(['Policy paper', 'First point.', 'Old text']);
    await bind(word, addin);
    expect(word.texts()).toEqual(['Policy paper', 'First point.', 'Second point.']);
    expect(word.paragraphs[0]!.styleBuiltIn).toBe('Heading1');

    word.userType(1, 'First'.length, ' and only');
    await waitFor(() => blockTexts(web)[1] === 'First and only point.', 'Word typing on the web');

    webEdit(web, (blocks) => {
      blocks[2] = p('Second point, revised.');
    });
    await waitFor(() => word.texts()[2] === 'Second point, revised.', 'web typing in Word');
    expect(blockTexts(web)).toEqual(blockTexts(addin));
  });

  it('edits only the changed span inside a paragraph, so the Word user keeps their caret and nothing echoes', async () => {
    const { addin, web } = peers({ content: [p('The quick brown fox jumps over the lazy dog.')] });
    const word = new WordDocument(['The quick brown fox jumps over the lazy dog.']);
    const binding = await bind(word, addin);
    // The Word user's caret sits after "jumps".
    word.selection = {
      paragraphId: word.paragraphs[0]!.uniqueLocalId,
      offset: 'The quick brown fox jumps'.length,
    };
    webEdit(web, (blocks) => {
      blocks[0] = p('The very quick brown fox jumps over the lazy dog.');
    });
    await waitFor(
      () => word.texts()[0] === 'The very quick brown fox jumps over the lazy dog.',
      'the web edit in Word',
    );
    expect(word.selection.offset).toBe('The very quick brown fox jumps'.length);

    await binding.idle();
    const writes = word.apiWrites;
    const counted = binding.wordWrites;
    expect(counted, 'the binding counts the Word writes it made').toBe(writes);
    const updates: Uint8Array[] = [];
    addin.on('update', (u: Uint8Array) => updates.push(u));
    await new Promise((r) => setTimeout(r, 1000));
    await binding.idle();
    expect(word.apiWrites, 'no Word API writes once converged').toBe(writes);
    expect(binding.wordWrites).toBe(counted);
    expect(updates, 'no Yjs updates once converged').toEqual([]);
  });

  it('follows paragraphs split, added, merged and deleted in Word, and keeps the marks of untouched text', async () => {
    const { addin, web } = peers({
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'Bold', marks: [{ type: 'bold' }] },
            { type: 'text', text: ' start' },
          ],
        },
        p('Middle'),
        p('End'),
      ],
    });
    const word = new WordDocument(['Bold start', 'Middle', 'End']);
    await bind(word, addin);
    word.userType(1, 3, '\n'); // Enter inside "Middle"
    await waitFor(() => blockTexts(web).join('|') === 'Bold start|Mid|dle|End', 'the split paragraph');
    word.userJoin(1);
    await waitFor(() => blockTexts(web).join('|') === 'Bold start|Middle|End', 'the merged paragraphs');
    word.userDeleteParagraph(2);
    await waitFor(() => blockTexts(web).join('|') === 'Bold start|Middle', 'the deleted paragraph');
    word.userType(0, 10, '!');
    await waitFor(() => blockTexts(web)[0] === 'Bold start!', 'typing at the end');
    expect(fromYjs(web).content![0]!.content![0]).toEqual({
      type: 'text',
      text: 'Bold',
      marks: [{ type: 'bold' }],
    });
  });

  it('picks up a paste that fired no event, and a style change (which fires none on the web), by reconciliation', async () => {
    const { addin, web } = peers({ content: [p('One'), p('Two')] });
    const word = new WordDocument(['One', 'Two']);
    await bind(word, addin);
    word.userPaste(1, 3, ' pasted\nThree');
    word.userSetStyle(0, 'Heading2');
    await waitFor(() => blockTexts(web).join('|') === 'One|Two pasted|Three', 'the pasted lines');
    await waitFor(() => fromYjs(web).content![0]!.type === 'heading', 'the style change');
    expect(fromYjs(web).content![0]!.attrs?.level).toBe(2);
  });

  it('stops cleanly: event handlers removed from Word, nothing mirrored either way afterwards', async () => {
    const { addin, web } = peers({ content: [p('Alpha')] });
    const word = new WordDocument(['Alpha']);
    const binding = await bind(word, addin);
    expect(word.handlers.paragraphChanged.size).toBe(1);
    await binding.stop();
    await binding.stop();
    expect(Object.values(word.handlers).map((set) => set.size)).toEqual([0, 0, 0]);
    const writes = word.apiWrites;
    const updates: Uint8Array[] = [];
    addin.on('update', (u: Uint8Array, origin: unknown) => {
      if (origin !== 'net') updates.push(u);
    });
    word.userType(0, 5, ' typed after the end');
    webEdit(web, (blocks) => {
      blocks[0] = p('Alpha edited on the web');
    });
    await new Promise((r) => setTimeout(r, 1000));
    expect(word.texts()).toEqual(['Alpha typed after the end']);
    expect(word.apiWrites).toBe(writes);
    expect(updates).toEqual([]);
  });

  it('works without paragraph events (WordApi below 1.6) by polling', async () => {
    const { addin, web } = peers({ content: [p('Alpha')] });
    const word = new WordDocument(['Alpha']);
    await bind(word, addin, { events: false, requirements: { WordApi: '1.3' } });
    word.userType(0, 5, ' beta');
    await waitFor(() => blockTexts(web)[0] === 'Alpha beta', 'polled Word typing');
  });

  it('leaves what it does not mirror alone: list paragraphs in Word, lists and tables in the document', async () => {
    const list: JSONContent = {
      type: 'bulletList',
      content: [{ type: 'listItem', content: [p('Item in the document')] }],
    };
    const { addin, web } = peers({ content: [p('Intro'), list, p('Outro')] });
    const word = new WordDocument(['Intro', { text: 'Item as Word shows it', style: 'ListBullet' }, 'Outro']);
    await bind(word, addin);
    const listBefore = fromYjs(web).content![1];
    expect(word.texts()).toEqual(['Intro', 'Item as Word shows it', 'Outro']);
    word.userType(2, 5, '!');
    await waitFor(() => blockTexts(web).at(-1) === 'Outro!', 'typing after the list');
    expect(fromYjs(web).content![1]).toEqual(listBefore);
    expect(JSON.stringify(listBefore)).toContain('Item in the document');
  });

  it('the Word user pastes lines into a span the binding replaces, after its check, before its write: nothing doubles', async () => {
    // The web's edit wakes one pass: its batches are the read, then the writer's check; the paste comes then,
    // inside the span "Quick" the writer replaces with "<Quick>". (No character repeats and no two insertions
    // meet, so where each side's edit lands in the merged text is certain.)
    const { web, word, binding, armed, reached } = await boundWithHook(['First', 'Quick Brown'], {
      2: (w) => w.userPaste(1, 3, 'X\nY'),
    });
    armed();
    webEdit(web, (blocks) => {
      blocks[1] = p('<Quick> Brown');
    });
    await reached();
    expect(await settled(word, web, binding)).toEqual(['First', '<Qui>X', 'Yck Brown']);
  });

  it('the web and the Word user type into one empty paragraph at once: each typing stays once as the web edits on', async () => {
    // The pass takes Word's typing (read), writes the web's into Word (check, write), then agrees (its last
    // batch); right then the web edits another paragraph, before the binding's shadow has the web's state.
    const { web, word, binding, armed, reached } = await boundWithHook(['One', ''], {
      4: (_w, w) =>
        webEdit(w, (blocks) => {
          blocks[0] = p('One!');
        }),
    });
    // Each side makes a text run in the empty paragraph; Yjs puts the lower client's first: the web's here.
    web.clientID = 1;
    armed();
    webEdit(web, (blocks) => {
      blocks[1] = p('Bravo');
    });
    word.userType(1, 0, 'Alpha');
    await reached();
    expect(await settled(word, web, binding)).toEqual(['One!', 'BravoAlpha']);
  });

  /**
   * One side deletes a paragraph the other changed since the binding's last pass (concurrentDeletes.ts): the
   * deletion wins for the text both saw, what the other typed survives as a paragraph of its own, and both
   * sides end the same. Both edits land between two passes, so each case is the same on every run.
   */
  describe('a paragraph deleted on one side and changed on the other', () => {
    /** Bound Word and a web peer over `texts`, settled, with nothing pending. */
    async function boundPair(texts: string[]) {
      const { addin, web } = peers({ content: texts.map(p) });
      const word = new WordDocument(texts);
      const binding = await bind(word, addin);
      return { web, word, binding };
    }

    it('the web deletes a paragraph the Word user types in: what was typed stays, as its own paragraph', async () => {
      const { web, word, binding } = await boundPair(['Alpha', 'Beta', 'Gamma']);
      webEdit(web, (blocks) => blocks.splice(1, 1));
      word.userType(1, 4, 'typed');
      expect(await settled(word, web, binding)).toEqual(['Alpha', 'typed', 'Gamma']);
    });

    it('the web deletes a paragraph the Word user splits: none of its text comes back', async () => {
      const { web, word, binding } = await boundPair(['Alpha', 'Middle', 'Gamma']);
      webEdit(web, (blocks) => blocks.splice(1, 1));
      word.userType(1, 3, 'now\n');
      expect(await settled(word, web, binding)).toEqual(['Alpha', 'now', '', 'Gamma']);
    });

    it('the web deletes a paragraph the Word user splits after the binding checked it, before it writes', async () => {
      // The web's deletion wakes one pass; its batches are the read, then the writer's check.
      const { web, word, binding, armed, reached } = await boundWithHook(['Alpha', 'Middle', 'Gamma'], {
        2: (w) => w.userType(1, 3, 'now\n'),
      });
      armed();
      webEdit(web, (blocks) => blocks.splice(1, 1));
      await reached();
      expect(await settled(word, web, binding)).toEqual(['Alpha', 'now', '', 'Gamma']);
    });

    it('the web deletes a paragraph the Word user splits twice after the binding checked it: none of its text comes back', async () => {
      const { web, word, binding, armed, reached } = await boundWithHook(['Alpha', 'Middle', 'Gamma'], {
        2: (w) => {
          w.userType(1, 4, '\n');
          w.userType(1, 2, 'X\n');
        },
      });
      armed();
      webEdit(web, (blocks) => blocks.splice(1, 1));
      await reached();
      expect(await settled(word, web, binding)).toEqual(['Alpha', 'X', '', '', 'Gamma']);
    });

    it('the web deletes a paragraph and adds one, the Word user splits the deleted one and then deletes its tail: nothing doubles', async () => {
      // Batches: the read, the writer's check (then the split), the write (then the tail goes), the tail's.
      const { web, word, binding, armed, reached } = await boundWithHook(['Alpha', 'Middle', 'Gamma'], {
        2: (w) => w.userType(1, 3, 'now\n'),
        3: (w) => w.userDeleteParagraph(w.texts().indexOf('dle')),
      });
      armed();
      webEdit(web, (blocks) => blocks.splice(1, 2, blocks[2]!, p('Added')));
      await reached();
      expect(await settled(word, web, binding)).toEqual(['Alpha', 'now', 'Gamma', 'Added']);
    });

    it('the web deletes a paragraph the Word user typed in while the binding takes deleted text out of Word: the typing stays', async () => {
      // The pass reads Word, then takes the deleted "Gamma" out of the joined paragraph (check, then write);
      // between the two, the web deletes the paragraph the user typed in.
      const { web, word, binding, armed, reached } = await boundWithHook(['Alpha', 'Beta', 'Gamma'], {
        2: (_w, w) => webEdit(w, (blocks) => blocks.splice(1, 1)),
      });
      armed();
      webEdit(web, (blocks) => blocks.splice(2, 1));
      word.userType(1, 4, 'XYZ');
      word.userJoin(1);
      await reached();
      expect(await settled(word, web, binding)).toEqual(['Alpha', 'XYZ']);
    });

    it('the web deletes a paragraph the Word user joins onto the one before: the joined text leaves', async () => {
      const { web, word, binding } = await boundPair(['Alpha', 'Beta', 'Gamma']);
      webEdit(web, (blocks) => blocks.splice(1, 1));
      word.userJoin(0);
      expect(await settled(word, web, binding)).toEqual(['Alpha', 'Gamma']);
    });

    it('the web deletes a paragraph the Word user typed in, then joined onto the one before: only the typing stays', async () => {
      const { web, word, binding } = await boundPair(['Alpha', 'Beta', 'Gamma']);
      webEdit(web, (blocks) => blocks.splice(1, 1));
      word.userType(1, 2, 'XYZ');
      word.userJoin(0);
      expect(await settled(word, web, binding)).toEqual(['AlphaXYZ', 'Gamma']);
    });

    it('the web deletes a paragraph the Word user joins onto the one before and splits again inside it: its text leaves', async () => {
      const { web, word, binding } = await boundPair(['Alpha', 'Beta', 'Gamma']);
      webEdit(web, (blocks) => blocks.splice(1, 1));
      word.userJoin(0);
      word.userType(0, 7, '\n');
      expect(await settled(word, web, binding)).toEqual(['Alpha', '', 'Gamma']);
    });

    it('the web deletes a paragraph the Word user joins the next one into: the next one stays', async () => {
      const { web, word, binding } = await boundPair(['Alpha', 'Beta', 'Gamma']);
      webEdit(web, (blocks) => blocks.splice(1, 1));
      word.userJoin(1);
      expect(await settled(word, web, binding)).toEqual(['Alpha', 'Gamma']);
    });

    it('the Word user deletes a paragraph the web typed in: what the web typed stays, as its own paragraph', async () => {
      const { web, word, binding } = await boundPair(['Alpha', 'Beta', 'Gamma']);
      webEdit(web, (blocks) => {
        blocks[1] = p('Betatyped');
      });
      word.userDeleteParagraph(1);
      expect(await settled(word, web, binding)).toEqual(['Alpha', 'typed', 'Gamma']);
    });

    it('the Word user joins a paragraph the web typed in onto the one before: what the web typed stays', async () => {
      const { web, word, binding } = await boundPair(['Alpha', 'Beta', 'Gamma']);
      webEdit(web, (blocks) => {
        blocks[1] = p('Betatyped');
      });
      word.userJoin(0);
      expect(await settled(word, web, binding)).toEqual(['AlphaBeta', 'typed', 'Gamma']);
    });
  });
});
