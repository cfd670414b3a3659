import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Temporary directories and databases the bench creates, so an interrupted run (Ctrl-C, SIGTERM) removes
 * them too: directories synchronously from the 'exit' handler, databases through `runAbortHooks` from the
 * signal handler. A run that ends normally releases each one as soon as it is done with it.
 */
const dirs = new Set<string>();
const abortHooks = new Set<() => Promise<void>>();

/** A fresh directory under the system temp dir, removed by `releaseScratchDir` or at exit. */
export function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'docbridge-bench-'));
  dirs.add(dir);
  return dir;
}

/** Removes a scratch directory now. */
export function releaseScratchDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  dirs.delete(dir);
}

/** Removes every scratch directory still present; synchronous, for the process 'exit' handler. */
export function removeScratchDirs(): void {
  for (const dir of dirs) releaseScratchDir(dir);
}

/** Registers async cleanup to run if the bench is interrupted; returns the function that unregisters it. */
export function onAbort(hook: () => Promise<void>): () => void {
  abortHooks.add(hook);
  return () => abortHooks.delete(hook);
}

/** Runs every registered abort hook, giving up after `timeoutMs` so a signal still ends the process. */
export async function runAbortHooks(timeoutMs: number): Promise<void> {
  const all = Promise.allSettled([...abortHooks].map((hook) => hook()));
  await Promise.race([all, new Promise((resolve) => setTimeout(resolve, timeoutMs))]);
}
