import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DEFAULT_COMPACT_AFTER } from '../../../server/config.ts';
import {
  INLINE_MERGE_MAX_BYTES,
  MergeError,
  mergeSmallLogsHere,
  mergeToSnapshot,
} from '../../../server/storage/mergeUpdates.ts';

/** A snapshot of `chars` typed characters and a log of `entries` one-character edits after it. */
function typedLog(chars: number, entries: number) {
  const doc = new Y.Doc();
  const text = doc.getText('body');
  text.insert(0, 'a'.repeat(chars));
  const snapshot = Y.encodeStateAsUpdate(doc);
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  for (let i = 0; i < entries; i++) text.insert(chars + i, 'b');
  const bytes = snapshot.byteLength + updates.reduce((sum, update) => sum + update.byteLength, 0);
  return { snapshot, updates, bytes, text: text.toString() };
}

function textOf(state: Uint8Array): string {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc.getText('body').toString();
}

/** Stands in for the conversion workers: records what it was handed and answers with a marker. */
function recordingElsewhere() {
  const calls: { snapshot: Uint8Array | null; updates: Uint8Array[] }[] = [];
  const marker = new Uint8Array([7, 7, 7]);
  const elsewhere = async (snapshot: Uint8Array | null, updates: Uint8Array[]) => {
    calls.push({ snapshot, updates });
    return marker;
  };
  return { calls, marker, elsewhere };
}

describe('mergeSmallLogsHere', () => {
  it('merges a log up to the limit here, to the same snapshot mergeToSnapshot makes', async () => {
    const log = typedLog(200, 30);
    const { calls, elsewhere } = recordingElsewhere();
    const merged = await mergeSmallLogsHere(elsewhere, log.bytes)(log.snapshot, log.updates);
    expect(calls).toHaveLength(0);
    expect(merged).toEqual(mergeToSnapshot(log.snapshot, log.updates));
    expect(textOf(merged)).toBe(log.text);
  });

  it('hands a log over the limit (snapshot included) to the other merge, untouched', async () => {
    const log = typedLog(200, 30);
    const { calls, marker, elsewhere } = recordingElsewhere();
    const merged = await mergeSmallLogsHere(elsewhere, log.bytes - 1)(log.snapshot, log.updates);
    expect(merged).toBe(marker);
    expect(calls).toEqual([{ snapshot: log.snapshot, updates: log.updates }]);
  });

  it('counts the log without a snapshot too', async () => {
    const log = typedLog(0, 40);
    const logBytes = log.bytes - log.snapshot.byteLength;
    const { calls, elsewhere } = recordingElsewhere();
    const merge = mergeSmallLogsHere(elsewhere, logBytes);
    expect(textOf(await merge(null, log.updates))).toBe(log.text);
    await mergeSmallLogsHere(elsewhere, logBytes - 1)(null, log.updates);
    expect(calls).toHaveLength(1);
  });

  it('fails a small log Yjs cannot read as mergeToSnapshot does, so compaction leaves it alone', () => {
    const log = typedLog(10, 3);
    const { calls, elsewhere } = recordingElsewhere();
    const broken = [log.updates[0]!, new Uint8Array([1, 2, 3])];
    expect(() => mergeSmallLogsHere(elsewhere)(log.snapshot, broken)).toThrow(MergeError);
    expect(calls).toHaveLength(0);
  });

  it('keeps typed documents of a few pages under the default limit', () => {
    // About 4 pages of text and the edits after which the server compacts (DOCBRIDGE_COMPACT_AFTER).
    const { bytes } = typedLog(12_000, DEFAULT_COMPACT_AFTER);
    expect(bytes).toBeLessThanOrEqual(INLINE_MERGE_MAX_BYTES);
  });
});
