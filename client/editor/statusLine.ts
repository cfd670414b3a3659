import type { SyncStatus } from './syncStatus.ts';

/**
 * Shows a sync status in a `role="status"` element (announced politely by screen readers) and mirrors it in
 * `data-state` / `data-unsynced` attributes for styling and for tests.
 */
export function showStatus(element: HTMLElement, status: SyncStatus): void {
  if (element.textContent !== status.label) element.textContent = status.label;
  element.dataset.state = status.state;
  element.dataset.unsynced = String(status.unsynced);
}
