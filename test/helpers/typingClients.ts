import { connectClient, type TestClient } from './clients.ts';

/**
 * A client that types numbered markers at a steady pace and records which of them the server acknowledged
 * as durable: every marker typed before the provider's count of unsaved changes last fell to zero. That is
 * what a user was shown as saved, so what a fault must never lose.
 */
export interface TypingClient {
  client: TestClient;
  /** Every marker typed so far, in order. */
  typed: string[];
  /** Markers the server acknowledged (a prefix of `typed`). */
  acknowledged(): string[];
  /** Stops typing (the client stays connected). */
  stopTyping(): void;
}

/** Connects a reconnecting client through `wsUrl` and starts typing `<label>:<n>` every `intervalMs`. */
export function startTypingClient(
  wsUrl: string,
  document: string,
  token: string,
  label: string,
  intervalMs: number,
): TypingClient {
  const client = connectClient(wsUrl, document, token, { reconnect: true });
  const typed: string[] = [];
  let acked = 0;
  client.provider.on('unsyncedChanges', () => {
    if (!client.provider.hasUnsyncedChanges) acked = typed.length;
  });
  const timer = setInterval(() => {
    const marker = `[${label}:${typed.length}]`;
    typed.push(marker);
    client.text.insert(client.text.length, marker);
  }, intervalMs);
  return {
    client,
    typed,
    acknowledged: () => typed.slice(0, acked),
    stopTyping: () => clearInterval(timer),
  };
}
