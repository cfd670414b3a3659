import type { Connection, connectedPayload } from '@hocuspocus/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type ConnectionIdentity, OpenConnections } from '../../../server/collab/openConnections.ts';
import { createLogger } from '../../../server/logger.ts';

const HOUR = 3_600_000;

/** The parts of a Hocuspocus connection `OpenConnections` uses, with what it did to them. */
function fakeConnection(socket: { close: ReturnType<typeof vi.fn> }) {
  const onClose: (() => void)[] = [];
  return {
    socketId: 'socket-1',
    webSocket: socket,
    requestToken: vi.fn(),
    close: vi.fn(() => {
      for (const callback of onClose) callback();
    }),
    onClose: (callback: () => void) => onClose.push(callback),
  };
}

function connect(connections: OpenConnections, connection: object, expiresAt: number): Promise<void> {
  const identity: ConnectionIdentity = { tenant: 't', sub: 'u', doc: 't/d', issuedAt: 0, expiresAt };
  return connections.connected({
    connection: connection as unknown as Connection,
    context: { identity },
  } as unknown as connectedPayload);
}

describe('OpenConnections', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  // 10,000 idle sockets: a sweep every 250 ms over all of them was most of an idle server's CPU.
  it('wakes for an idle connection only to ask for a fresh token and at its expiry', async () => {
    vi.useFakeTimers({ now: 0 });
    const connections = new OpenConnections({ logger: createLogger('silent') });
    const socket = { close: vi.fn() };
    const connection = fakeConnection(socket);
    await connect(connections, connection, HOUR);

    vi.advanceTimersToNextTimer();
    expect(Date.now()).toBe(HOUR - 30_000);
    expect(connection.requestToken).toHaveBeenCalledOnce();

    vi.advanceTimersToNextTimer();
    expect(Date.now()).toBe(HOUR);
    expect(socket.close).toHaveBeenCalledWith(4401, 'token-expired');
    expect(vi.getTimerCount()).toBe(0);
    await connections.destroy();
  });

  it('closes a socket whose connections expire together once, as a socket', async () => {
    vi.useFakeTimers({ now: 0 });
    const connections = new OpenConnections({ logger: createLogger('silent') });
    const socket = { close: vi.fn() };
    const first = fakeConnection(socket);
    const second = fakeConnection(socket);
    await connect(connections, first, HOUR);
    await connect(connections, second, HOUR);

    vi.advanceTimersByTime(HOUR);
    expect(socket.close).toHaveBeenCalledOnce();
    expect(socket.close).toHaveBeenCalledWith(4401, 'token-expired');
    expect(first.close).not.toHaveBeenCalled();
    expect(second.close).not.toHaveBeenCalled();
    await connections.destroy();
  });
});
