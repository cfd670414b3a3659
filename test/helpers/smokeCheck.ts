import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { waitFor } from './clients.ts';
import { portalToken } from './tokens.ts';
import { connectYWebsocket } from './yWebsocketClient.ts';

/** What a deployment smoke check needs of a running server. */
export interface Reachable {
  url: string;
  wsUrl: string;
}

/**
 * The check a deployment must pass (the compiled server, the container image): `/healthz` reports storage
 * ok, and one edit made through the standard y-websocket protocol with a portal JWT is served to a second,
 * later client. Returns the document and marker so a caller can look for them again after a restart.
 */
export async function checkHealthAndOneEdit(
  server: Reachable,
): Promise<{ document: string; marker: string }> {
  const health = await fetch(`${server.url}/healthz`);
  expect(health.status).toBe(200);
  expect(await health.json()).toMatchObject({ status: 'ok', storage: { ok: true } });

  const document = `dept-a/smoke-${randomUUID().slice(0, 8)}`;
  const marker = `edited through y-websocket ${randomUUID()}`;
  const token = await portalToken({ docs: { [document]: 'edit' } });
  const writer = connectYWebsocket(server.wsUrl, document, token);
  try {
    await writer.synced;
    writer.text.insert(0, marker);
    await expectServed(server, document, marker);
  } finally {
    writer.destroy();
  }
  return { document, marker };
}

/** Waits until a fresh y-websocket client of `document` receives `marker` from the server. */
export async function expectServed(server: Reachable, document: string, marker: string): Promise<void> {
  const token = await portalToken({ docs: { [document]: 'read' } });
  const reader = connectYWebsocket(server.wsUrl, document, token);
  try {
    await reader.synced;
    await waitFor(
      () => reader.text.toString().includes(marker),
      `a new client to receive "${marker}"`,
      30_000,
    );
  } finally {
    reader.destroy();
  }
}
