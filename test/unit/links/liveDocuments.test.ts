import type { Connection, Hocuspocus } from '@hocuspocus/server';
import { describe, expect, it } from 'vitest';
import { HocuspocusLiveDocuments } from '../../../server/links/liveDocuments.ts';

/** A connection to `doc` as `Authentication` leaves it: a Word add-in session carries `liveClientOf`. */
function fakeConnection(doc: string, liveClientOf?: string) {
  const onClose: (() => void)[] = [];
  const connection = {
    document: { name: doc },
    context: { user: liveClientOf ? { liveClientOf } : {} },
    onClose: (callback: () => void) => onClose.push(callback),
    close: () => {
      for (const callback of onClose) callback();
    },
  };
  return connection as typeof connection & Connection;
}

describe('HocuspocusLiveDocuments.liveClients', () => {
  it('lists the live clients it was told of, once per document and suite, until they close', () => {
    const live = new HocuspocusLiveDocuments({ documents: new Map() } as unknown as Hocuspocus, 1000);
    const first = fakeConnection('t/a', 'microsoft');
    const second = fakeConnection('t/a', 'microsoft');
    live.liveClientConnected(first);
    live.liveClientConnected(second);
    live.liveClientConnected(fakeConnection('t/b', 'microsoft'));
    expect(live.liveClients()).toEqual([
      { doc: 't/a', provider: 'microsoft' },
      { doc: 't/b', provider: 'microsoft' },
    ]);
    first.close();
    expect(live.liveClients()).toHaveLength(2);
    second.close();
    expect(live.liveClients()).toEqual([{ doc: 't/b', provider: 'microsoft' }]);
  });
});
