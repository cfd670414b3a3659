import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest, statusOf, upgradeRequest } from '../helpers/rawHttp.ts';
import { type ServerProcess, startServerProcess, tempDataDir } from '../helpers/serverProcess.ts';
import { TEST_SECRET } from '../helpers/tokens.ts';

// Finding 1 (2026-12): one unauthenticated WebSocket upgrade ended the whole process.
let server: ServerProcess;

beforeAll(async () => {
  server = await startServerProcess({ DOCBRIDGE_DATA_DIR: tempDataDir(), DOCBRIDGE_JWT_SECRET: TEST_SECRET });
});
afterAll(() => server.stop());

const alive = async () => (await fetch(`${server.url}/healthz`)).status;

describe('finding 1: one upgrade request cannot end the process', () => {
  it.each([
    ['broken percent-encoding in a y-websocket path', upgradeRequest('/yjs/%E0%A4%A'), 400],
    ['a request target of //', upgradeRequest('//'), 400],
    ['a Host header of x@y', upgradeRequest('/collab', { Host: 'x@y' }), 101],
    ['a Host header of x@y on y-websocket', upgradeRequest('/yjs/dept-a/doc', { Host: 'x@y' }), 101],
    ['an absolute-form target', upgradeRequest('http://evil.example/collab'), 400],
  ])('%s is answered on its own socket and the server keeps serving', async (_what, request, status) => {
    expect(statusOf(await rawRequest(server.port, request))).toBe(status);
    expect(await alive()).toBe(200);
    expect(server.child.exitCode).toBeNull();
  });

  it('an HTTP request with broken percent-encoding is a 400, not a 500', async () => {
    const answer = await rawRequest(server.port, 'GET /d/%E0%A4%A HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    expect(statusOf(answer)).toBe(400);
  });

  it('logged no uncaught error', () => {
    expect(server.output()).not.toContain('uncaught error');
  });
});
