/**
 * writeControl over the engine's revision history (remote-apis.md section A, "WriteControl"):
 * requiredRevisionId refuses stale writes; targetRevisionId transforms late writes over later edits.
 */
import { describe, expect, it } from 'vitest';
import { DocumentHistory, GoogleApiError } from '../../emulators/google/engine/index.ts';
import { bodyText, docWith } from './engineHelpers.ts';

function rejects(fn: () => unknown, status: string): GoogleApiError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(GoogleApiError);
    expect((err as GoogleApiError).httpStatus).toBe(400);
    expect((err as GoogleApiError).status).toBe(status);
    return err as GoogleApiError;
  }
  throw new Error('expected a rejection');
}

describe('writeControl', () => {
  it('applies with a matching requiredRevisionId and returns the new revision id', () => {
    const h = new DocumentHistory(docWith('hello'));
    const rev = h.current.revisionId!;
    const out = h.batchUpdate({
      requests: [{ insertText: { location: { index: 6 }, text: '!' } }],
      writeControl: { requiredRevisionId: rev },
    });
    expect(out.writeControl.requiredRevisionId).toBe(h.current.revisionId);
    expect(out.documentId).toBe(h.current.documentId);
    expect(out.writeControl.requiredRevisionId).not.toBe(rev);
    expect(out.replies).toEqual([{}]);
    expect(bodyText(h.current)).toBe('hello!\n');
  });

  it('keeps the order of a late batch whose own requests insert at the same index (built from the end)', () => {
    const h = new DocumentHistory(docWith('hello'));
    const rev = h.current.revisionId!;
    h.collaboratorEdit([{ insertText: { location: { index: 1 }, text: '>' } }]);
    h.batchUpdate({
      requests: [
        { insertText: { location: { index: 6 }, text: 'B' } },
        { insertText: { location: { index: 6 }, text: 'A' } },
      ],
      writeControl: { targetRevisionId: rev },
    });
    expect(bodyText(h.current)).toBe('>helloAB\n');
  });

  it('refuses a stale requiredRevisionId with 400 FAILED_PRECONDITION and applies nothing', () => {
    const h = new DocumentHistory(docWith('hello'));
    const rev = h.current.revisionId!;
    h.collaboratorEdit([{ insertText: { location: { index: 1 }, text: '>' } }]);
    rejects(
      () =>
        h.batchUpdate({
          requests: [{ insertText: { location: { index: 1 }, text: 'x' } }],
          writeControl: { requiredRevisionId: rev },
        }),
      'FAILED_PRECONDITION',
    );
    expect(bodyText(h.current)).toBe('>hello\n');
  });

  it('transforms a targetRevisionId batch over a collaborator insert made since', () => {
    const h = new DocumentHistory(docWith('hello world'));
    const rev = h.current.revisionId!;
    h.collaboratorEdit([{ insertText: { location: { index: 1 }, text: 'Say: ' } }]);
    h.batchUpdate({
      requests: [
        { insertText: { location: { index: 12 }, text: '!' } },
        {
          updateTextStyle: {
            range: { startIndex: 7, endIndex: 12 },
            textStyle: { bold: true },
            fields: 'bold',
          },
        },
        { deleteContentRange: { range: { startIndex: 1, endIndex: 2 } } },
      ],
      writeControl: { targetRevisionId: rev },
    });
    expect(bodyText(h.current)).toBe('Say: ello world!\n');
    const runs = h.current.body!.content![1]!.paragraph!.elements!;
    expect(runs.find((r) => r.textRun!.textStyle!.bold)!.textRun!.content).toBe('world');
  });

  it('transforms over a collaborator delete, skipping a range that vanished', () => {
    const h = new DocumentHistory(docWith('abcdef'));
    const rev = h.current.revisionId!;
    h.collaboratorEdit([{ deleteContentRange: { range: { startIndex: 2, endIndex: 5 } } }]);
    const out = h.batchUpdate({
      requests: [
        { deleteContentRange: { range: { startIndex: 3, endIndex: 4 } } },
        // In the late batch's own world ("abdef"), index 5 is between "e" and "f".
        { insertText: { location: { index: 5 }, text: 'X' } },
      ],
      writeControl: { targetRevisionId: rev },
    });
    expect(out.replies).toHaveLength(2);
    expect(bodyText(h.current)).toBe('aeXf\n');
  });

  it('lets later requests of the late batch use indices shifted by its own earlier requests', () => {
    const h = new DocumentHistory(docWith('abc'));
    const rev = h.current.revisionId!;
    h.collaboratorEdit([{ insertText: { location: { index: 4 }, text: 'Z' } }]);
    h.batchUpdate({
      requests: [
        { insertText: { location: { index: 1 }, text: '12' } },
        { insertText: { location: { index: 6 }, text: '!' } },
      ],
      writeControl: { targetRevisionId: rev },
    });
    expect(bodyText(h.current)).toBe('12abcZ!\n');
  });

  it('refuses an unknown or too old targetRevisionId, and both controls at once', () => {
    const h = new DocumentHistory(docWith('a'), 3);
    const first = h.current.revisionId!;
    for (let i = 0; i < 4; i++) h.collaboratorEdit([{ insertText: { location: { index: 1 }, text: 'x' } }]);
    const req = [{ insertText: { location: { index: 1 }, text: 'y' } }];
    rejects(
      () => h.batchUpdate({ requests: req, writeControl: { targetRevisionId: first } }),
      'FAILED_PRECONDITION',
    );
    rejects(
      () => h.batchUpdate({ requests: req, writeControl: { targetRevisionId: 'nope' } }),
      'FAILED_PRECONDITION',
    );
    rejects(
      () =>
        h.batchUpdate({
          requests: req,
          writeControl: { targetRevisionId: first, requiredRevisionId: first },
        }),
      'INVALID_ARGUMENT',
    );
  });
});
