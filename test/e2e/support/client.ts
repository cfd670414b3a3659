import { ensureClientBuilt } from '../../../client/buildIfStale.ts';

/** Builds the web client if it is missing or stale (one build even when several test files ask at once). */
export function prepareClient(): Promise<void> {
  return ensureClientBuilt();
}
