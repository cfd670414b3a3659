/** Small helpers for the Google Docs engine tests: build, apply, inspect. */
import type { docs_v1 } from '@googleapis/docs';
import { expect } from 'vitest';
import {
  applyRequests,
  createDocument,
  type Document,
  GoogleApiError,
} from '../../emulators/google/engine/index.ts';

/** A new document with `text` inserted at index 1 (paragraphs split on `\n`). */
export function docWith(text: string): Document {
  const blank = createDocument('Test');
  return text ? applyRequests(blank, [{ insertText: { location: { index: 1 }, text } }]).document : blank;
}

/** Applies requests and returns the new document. */
export function apply(doc: Document, requests: unknown[]): Document {
  return applyRequests(doc, requests).document;
}

/** The plain text of the body (paragraph runs only, tables flattened in order). */
export function bodyText(doc: Document): string {
  const out: string[] = [];
  const walk = (content: docs_v1.Schema$StructuralElement[] | undefined) => {
    for (const el of content ?? []) {
      for (const pe of el.paragraph?.elements ?? [])
        out.push(pe.textRun?.content ?? (pe.pageBreak ? '<PB>' : '<E>'));
      for (const row of el.table?.tableRows ?? [])
        for (const cell of row.tableCells ?? []) walk(cell.content);
    }
  };
  walk(doc.body?.content);
  return out.join('');
}

/** The structural elements that are paragraphs. */
export function paragraphs(doc: Document) {
  return (doc.body?.content ?? []).filter((el) => el.paragraph);
}

/** Asserts that applying `requests` fails with a 400 whose message matches, and returns the error. */
export function expectInvalid(
  doc: Document,
  requests: unknown[],
  message: RegExp,
  status = 'INVALID_ARGUMENT',
): GoogleApiError {
  try {
    applyRequests(doc, requests);
  } catch (err) {
    expect(err).toBeInstanceOf(GoogleApiError);
    const e = err as GoogleApiError;
    expect(e.httpStatus).toBe(400);
    expect(e.status).toBe(status);
    expect(e.message).toMatch(message);
    return e;
  }
  throw new Error('expected the batch to be rejected');
}

/** Checks that every element's indices are contiguous and consistent (startIndex of each = end of previous). */
export function expectConsistentIndices(doc: Document): void {
  let at = 0;
  const check = (content: docs_v1.Schema$StructuralElement[] | undefined, depth: number) => {
    for (const el of content ?? []) {
      expect(el.startIndex ?? 0).toBe(at);
      if (el.paragraph) {
        for (const pe of el.paragraph.elements ?? []) {
          expect(pe.startIndex ?? 0).toBe(at);
          at = pe.endIndex!;
        }
        const last = el.paragraph.elements?.at(-1)?.textRun?.content ?? '';
        expect(last.endsWith('\n')).toBe(true);
      } else if (el.table) {
        at += 1;
        for (const row of el.table.tableRows ?? []) {
          expect(row.startIndex).toBe(at);
          at += 1;
          for (const cell of row.tableCells ?? []) {
            expect(cell.startIndex).toBe(at);
            at += 1;
            expect((cell.content ?? []).length).toBeGreaterThan(0);
            check(cell.content, depth + 1);
            expect(cell.endIndex).toBe(at);
          }
          expect(row.endIndex).toBe(at);
        }
      } else at = el.endIndex!;
      expect(el.endIndex).toBe(at);
    }
  };
  check(doc.body?.content, 0);
}
