import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import { frame, frameType, MessageType, readHeader } from '../../../server/collab/protocol.ts';

describe('frameType', () => {
  it('reads the type after addresses of any length, as readHeader does', () => {
    for (const address of ['', 'dept-a/doc', `dept-a/${'é'.repeat(200)}\0session`]) {
      for (const type of [MessageType.Sync, MessageType.SyncStatus, MessageType.Awareness]) {
        const bytes = frame(address, (encoder) => {
          encoding.writeVarUint(encoder, type);
          encoding.writeVarUint(encoder, 1);
        });
        expect(frameType(bytes)).toBe(type);
        expect(readHeader(bytes)).toMatchObject({ address, type });
      }
    }
  });

  it('is null for a frame that ends before its type', () => {
    expect(frameType(new Uint8Array(0))).toBeNull();
    expect(frameType(frame('dept-a/doc', () => {}))).toBeNull();
    expect(frameType(Uint8Array.of(200))).toBeNull();
  });
});
