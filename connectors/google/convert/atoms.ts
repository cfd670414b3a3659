/**
 * Opaque atoms for Google content the schema does not model. The payload is the original JSON element
 * minus everything that changes when nothing changed for the user (indices, text style, footnote numbers,
 * the 30-minute image content URI), so an atom's identity is stable across reads and the diff never deletes
 * and re-inserts it; the label is what the chip shows and what other formats write instead.
 */
import type { docs_v1 } from '@googleapis/docs';
import type { AtomInline } from './units.ts';

const VOLATILE = new Set([
  'startIndex',
  'endIndex',
  'textStyle',
  'suggestedTextStyleChanges',
  'footnoteNumber',
]);

function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value as object).sort()) {
    if (!VOLATILE.has(key)) out[key] = stable((value as Record<string, unknown>)[key]);
  }
  return out;
}

/** The payload string of a Google element of the given index width. */
export function atomPayload(element: unknown, width: number): string {
  return JSON.stringify({ v: 1, width, element: stable(element) });
}

/** The index width recorded in a Google atom payload (1 when absent or unreadable). */
export function payloadWidth(payload: string): number {
  try {
    const parsed = JSON.parse(payload) as { width?: unknown };
    return typeof parsed.width === 'number' && parsed.width > 0 ? parsed.width : 1;
  } catch {
    return 1;
  }
}

function labelOf(kind: string, element: docs_v1.Schema$ParagraphElement): string {
  switch (kind) {
    case 'footnoteReference':
      return `[${element.footnoteReference?.footnoteNumber ?? '*'}]`;
    case 'equation':
      return 'Equation';
    case 'autoText':
      return element.autoText?.type === 'PAGE_COUNT' ? '#pages' : '#page';
    case 'person':
      return `@${element.person?.personProperties?.name ?? element.person?.personProperties?.email ?? 'person'}`;
    case 'richLink':
      return (
        element.richLink?.richLinkProperties?.title ?? element.richLink?.richLinkProperties?.uri ?? 'link'
      );
    case 'pageBreak':
      return 'Page break';
    case 'columnBreak':
      return 'Column break';
    case 'horizontalRule':
      return '―';
    case 'inlineObjectElement':
      return 'Drawing';
    default:
      return kind;
  }
}

const KIND_NAMES: Record<string, string> = {
  footnoteReference: 'footnote',
  inlineObjectElement: 'drawing',
  autoText: 'field',
  dateElement: 'date',
};

/** The atom standing for a non-text paragraph element (footnote reference, equation, person chip...). */
export function elementAtom(element: docs_v1.Schema$ParagraphElement, width: number): AtomInline {
  const key = Object.keys(element).find((k) => k !== 'startIndex' && k !== 'endIndex') ?? 'unknown';
  return {
    t: 'atom',
    kind: KIND_NAMES[key] ?? key,
    label: labelOf(key, element),
    source: 'gdocs',
    payload: atomPayload(element, width),
  };
}

/** The atom standing for a suggested insertion or deletion (a text run carrying suggestion ids). */
export function suggestionAtom(run: docs_v1.Schema$TextRun, text: string): AtomInline {
  const insertion = (run.suggestedInsertionIds?.length ?? 0) > 0;
  return {
    t: 'atom',
    kind: insertion ? 'suggestedInsertion' : 'suggestedDeletion',
    label: text,
    source: 'gdocs',
    payload: atomPayload({ textRun: { ...run, content: text } }, text.length),
  };
}
