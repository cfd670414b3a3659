/** What the connection layer knows at one moment; `describeSync` turns it into what the user is told. */
export interface SyncInputs {
  socket: 'connecting' | 'connected' | 'disconnected';
  browserOnline: boolean;
  authenticated: boolean;
  /** Reason of a refused authentication (`token-expired`, `document-not-granted`...), else null. */
  denied: string | null;
  synced: boolean;
  /** The provider's count of changes the server has not yet acknowledged as durable. */
  unsynced: number;
  readOnly: boolean;
}

/** The states shown to the user and reported to embedding pages (`sync-status` event). */
export type SyncState = 'connecting' | 'saving' | 'saved' | 'offline' | 'denied' | 'read-only';

export interface SyncStatus {
  state: SyncState;
  /** The sentence shown in the status line. */
  label: string;
  unsynced: number;
  reason?: string;
}

const deniedText: Record<string, string> = {
  'token-expired': 'Your access has expired. Reload the page to continue.',
  'document-not-granted': 'You do not have access to this document.',
  'token-missing': 'You are not signed in.',
  'session-ended': 'Your session has ended. Sign in again to continue.',
  'access-withdrawn': 'Your access to this document was withdrawn.',
};

/**
 * The status a user can trust: "Saved" only when connected, authenticated, synced and no change is waiting
 * for the server's acknowledgement (which the server sends only once the update is durable). Offline wins
 * over everything but a refusal, and says whether unsaved changes are waiting.
 */
export function describeSync(inputs: SyncInputs): SyncStatus {
  const { unsynced } = inputs;
  if (inputs.denied) {
    return {
      state: 'denied',
      label: deniedText[inputs.denied] ?? `The server refused access (${inputs.denied}).`,
      unsynced,
      reason: inputs.denied,
    };
  }
  if (!inputs.browserOnline || inputs.socket === 'disconnected') {
    const label =
      unsynced > 0 && !inputs.readOnly
        ? 'Offline: your changes are kept here and will be saved when you reconnect'
        : 'Offline: trying to reconnect…';
    return { state: 'offline', label, unsynced };
  }
  if (inputs.socket === 'connecting' || !inputs.authenticated || !inputs.synced) {
    return { state: 'connecting', label: 'Connecting…', unsynced };
  }
  if (inputs.readOnly)
    return { state: 'read-only', label: 'Read only: you can view but not change this document', unsynced };
  if (unsynced > 0) return { state: 'saving', label: 'Saving…', unsynced };
  return { state: 'saved', label: 'Saved', unsynced };
}
