import type { docs_v1 } from '@googleapis/docs';
import type { JSONContent } from '@tiptap/core';
import { z } from 'zod';
import { RemoteError } from '../sync/remoteErrors.ts';

/**
 * The second half of a Google push that created footnotes, as the link persists it between the two
 * batchUpdates: the first reply's revision and, per created footnote, its id and the text it must receive.
 */
export interface FootnoteFill {
  rev: string;
  footnotes: { footnoteId: string; note: JSONContent[] }[];
}

const fillShape = z.object({
  rev: z.string(),
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

/** True for a footnote exactly as createFootnote left it: one paragraph holding a space and a newline. */
export function isFreshFootnote(footnote: docs_v1.Schema$Footnote | undefined): boolean {
  const content = footnote?.content ?? [];
  if (content.length !== 1) return false;
  const text = (content[0]!.paragraph?.elements ?? []).map((e) =>
    e.textRun ? (e.textRun.content ?? '') : '\u0000',
  );
  return text.join('') === ' \n';
}
