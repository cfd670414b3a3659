import type { docs_v1 } from '@googleapis/docs';
import type { JSONContent } from '@tiptap/core';
import { z } from 'zod';
import { RemoteError } from '../sync/remoteErrors.ts';

/**
 * The second half of a Google push that created footnotes, as the link persists it between the two
 * batchUpdates: per created footnote, its id and the text it must receive.
 */
export interface FootnoteFill {
  footnotes: { footnoteId: string; note: JSONContent[] }[];
}

const fillShape = z.object({
  footnotes: z.array(z.object({ footnoteId: z.string(), note: z.array(z.looseObject({})) })),
});

/** The bytes of a fill record (what `PushProgress` hands the engine). */
export function encodeFill(fill: FootnoteFill): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(fill));
}

/** A fill record read back from the link's storage; `REMOTE_REJECTED` when it is not one. */
export function decodeFill(bytes: Uint8Array): FootnoteFill {
  try {
    return fillShape.parse(JSON.parse(new TextDecoder().decode(bytes))) as FootnoteFill;
  } catch (error) {
    throw new RemoteError(
      'REMOTE_REJECTED',
      'the stored footnote record of a pending push is unreadable',
      null,
      {
        cause: error,
      },
    );
  }
}

/**
 * True when footnote `footnote` still lacks `note`'s text: it exists (a Google user may have deleted the
 * reference since) and its text does not already hold the note's text (the fill landed before the stop). Its
 * paragraph breaks and line breaks compare alike, as the reader joins them. What a Google user typed there
 * meanwhile stays; the note's text goes before it.
 */
export function needsFill(
  footnote: docs_v1.Schema$Footnote | undefined,
  note: readonly JSONContent[],
): boolean {
  if (!footnote) return false;
  const wanted = note.map((n) => (n.type === 'text' ? (n.text ?? '') : '\u000b')).join('');
  if (wanted === '') return false;
  const held = (footnote.content ?? [])
    .flatMap((p) => (p.paragraph?.elements ?? []).map((e) => e.textRun?.content ?? ''))
    .join('')
    .replace(/\n/g, '\u000b');
  return !held.includes(wanted);
}
