import { expect } from 'vitest';
import { connectClient, type TestClient } from '../helpers/clients.ts';
import { type ServerProcess, startServerProcess } from '../helpers/serverProcess.ts';

/** A client typing one marker every `everyMs`, and which of its markers the server acknowledged as saved. */
export interface Writer {
  /** How many markers were acknowledged (every marker typed before the client last had nothing unsaved). */
  acknowledged(): number;
  /** Stops typing; resolves to every marker typed. */
  stop(): Promise<string[]>;
}

/**
 * Load for fault tests: `label-N;` markers appended to the client's text, one at a time. A marker counts as
 * acknowledged once the provider reports no unsynced change after it was typed: the server answers an
 * edit only when it is durable, so these are exactly the markers a user was shown as saved.
 */
export function startWriter(client: TestClient, label: string, everyMs = 50): Writer {
  const typed: string[] = [];
  let acknowledged = 0;
  const onUnsynced = () => {
    if (!client.provider.hasUnsyncedChanges) acknowledged = typed.length;
  };
  client.provider.on('unsyncedChanges', onUnsynced);
  const timer = setInterval(() => {
    const marker = `${label}-${typed.length};`;
    client.text.insert(client.text.length, marker);
    typed.push(marker);
  }, everyMs);
  return {
    acknowledged: () => acknowledged,
    async stop() {
      clearInterval(timer);
      return [...typed];
    },
  };
}

/**
 * The end of every fault test: `kill -9` the server, start it again on the same storage, and check that a
 * fresh client reads every marker typed (all of them were acknowledged by then). Returns the new server.
 */
export async function expectEveryMarkerStored(
  server: ServerProcess,
  env: Record<string, string>,
  doc: string,
  token: string,
  markers: string[],
): Promise<ServerProcess> {
  await server.kill9();
  const restarted = await startServerProcess(env);
  const reader = connectClient(restarted.wsUrl, doc, token);
  try {
    await reader.synced;
    const text = reader.text.toString();
    for (const marker of markers) expect(text).toContain(marker);
  } finally {
    reader.destroy();
  }
  return restarted;
}
