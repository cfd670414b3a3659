import type { JSONContent } from '@tiptap/core';
import * as Y from 'yjs';
import type { WordNamespace } from '../../client/word-addin/wordApi.ts';
import { WordBinding } from '../../client/word-addin/wordBinding.ts';
import { applyJsonToFragment, documentFragment, fromYjs, toYjs } from '../../connectors/model/yjs.ts';
import { installOffice } from '../emulators/word/officeJs.ts';
import type { WordDocument } from '../emulators/word/wordDocument.ts';

/** A paragraph block of plain text (none for an empty paragraph). */
export const paragraph = (text: string): JSONContent => ({
  type: 'paragraph',
  ...(text ? { content: [{ type: 'text', text }] } : {}),
});

/** Two peers of one shared document (the add-in's and a web user's), joined like a server would join them. */
export function peers(json: JSONContent): { addin: Y.Doc; web: Y.Doc } {
  const addin = toYjs({ type: 'doc', content: json.content });
  const web = new Y.Doc();
  Y.applyUpdate(web, Y.encodeStateAsUpdate(addin));
  addin.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== 'net') Y.applyUpdate(web, update, 'net');
  });
  web.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== 'net') Y.applyUpdate(addin, update, 'net');
  });
  return { addin, web };
}

/** The texts of the document's top-level blocks. */
export const blockTexts = (doc: Y.Doc): string[] =>
  (fromYjs(doc).content ?? []).map((b) => (b.content ?? []).map((c) => c.text ?? '').join(''));

/** A web user's edit of the top-level blocks, written as the editor would: minimal Yjs edits. */
export function webEdit(doc: Y.Doc, edit: (blocks: JSONContent[]) => void): void {
  const json = fromYjs(doc);
  const blocks = [...(json.content ?? [])];
  edit(blocks);
  applyJsonToFragment(documentFragment(doc), { ...json, content: blocks }, 'web-user');
}

/**
 * A binding of `word` (through the Office.js emulator) to `doc`, started and settled; errors throw.
 * `afterSync` runs after each of the binding's batches, to put a user's action between two of them.
 */
export async function bindWord(
  word: WordDocument,
  doc: Y.Doc,
  options: {
    events?: boolean;
    requirements?: Record<string, string>;
    pollMs?: number;
    afterSync?: () => void;
  } = {},
): Promise<WordBinding> {
  const globals: Record<string, unknown> = {};
  installOffice(globals, { document: word, requirements: options.requirements });
  const office = globals.Word as WordNamespace;
  const { afterSync } = options;
  const between: WordNamespace = {
    run: (batch) =>
      office.run((context) =>
        batch({
          document: context.document,
          sync: async () => {
            await context.sync();
            afterSync?.();
          },
        }),
      ),
  };
  const binding = new WordBinding({
    word: afterSync ? between : office,
    doc,
    events: options.events ?? true,
    pollMs: options.pollMs ?? 200,
    onError: (error) => {
      throw error;
    },
  });
  await binding.start();
  await binding.idle();
  return binding;
}
