import { diffArrays } from 'diff';

/** A step of a text diff: delete, keep or insert `text`. */
export type TextDiffStep = [op: -1 | 0 | 1, text: string];
export const DIFF_DELETE = -1;
export const DIFF_EQUAL = 0;
export const DIFF_INSERT = 1;

/**
 * A minimal character diff (Myers, through the project's one diff library, `diff`) of two strings, one symbol
 * per UTF-16 unit: callers that must not split surrogate pairs encode them first (see
 * `connectors/google/convert/paragraphEdits.ts`). No semantic cleanup: an unchanged run between two edits
 * stays unchanged, so concurrent edits inside it survive.
 */
export function diffText(a: string, b: string): TextDiffStep[] {
  const steps: TextDiffStep[] = [];
  for (const part of diffArrays(a.split(''), b.split(''))) {
    steps.push([part.removed ? DIFF_DELETE : part.added ? DIFF_INSERT : DIFF_EQUAL, part.value.join('')]);
  }
  return steps;
}
