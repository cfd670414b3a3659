import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SqliteStorage } from '../../server/storage/sqlite.ts';

const sqliteModule = fileURLToPath(new URL('../../server/storage/sqlite.ts', import.meta.url));
const mergeModule = fileURLToPath(new URL('../../server/storage/mergeUpdates.ts', import.meta.url));

/**
 * A writer process: appends one real Yjs edit at a time (compacting every 25) and prints `ack <n>`
 * only after appendUpdates resolved, like the server telling a client "saved".
 */
const writer = `
  import * as Y from 'yjs';
  import { SqliteStorage } from ${JSON.stringify(sqliteModule)};
  import { mergeToSnapshot } from ${JSON.stringify(mergeModule)};
  const storage = new SqliteStorage(process.argv[1]);
  await storage.migrate();
  const doc = new Y.Doc();
  const pending = [];
  doc.on('update', (update) => pending.push(update));
  for (let n = 0; ; n++) {
    doc.getText('t').insert(doc.getText('t').length, n + ',');
    await storage.appendUpdates('doc', pending.splice(0));
    process.stdout.write('ack ' + n + '\\n');
    if (n % 25 === 24) await storage.compact('doc', mergeToSnapshot);
  }
`;

/** SQLite-only behaviour the shared conformance suite cannot express. */
describe('SqliteStorage', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'docbridge-sqlite-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps the database in WAL mode', async () => {
    const path = join(dir, 'docbridge.db');
    const storage = new SqliteStorage(path);
    await storage.migrate();
    await storage.close();
    const db = new Database(path, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
  });

  it('loses no acknowledged append when the writer is killed with SIGKILL', async () => {
    const path = join(dir, 'docbridge.db');
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', writer, path], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    let acknowledged = -1;
    for await (const line of createInterface({ input: child.stdout })) {
      acknowledged = Number(line.replace('ack ', ''));
      if (acknowledged >= 120) {
        child.kill('SIGKILL');
        break;
      }
    }
    await exited;
    expect(acknowledged).toBeGreaterThanOrEqual(120);

    const storage = new SqliteStorage(path);
    try {
      await storage.migrate();
      const stored = await storage.loadDocument('doc');
      expect(stored.snapshot).not.toBeNull();
      const doc = new Y.Doc();
      Y.applyUpdate(doc, stored.snapshot!);
      for (const update of stored.updates) Y.applyUpdate(doc, update);
      const written = doc.getText('t').toString().split(',').filter(Boolean).map(Number);
      // Every acknowledged edit is there, in order; at most the unacknowledged tail goes further.
      expect(written.slice(0, acknowledged + 1)).toEqual(
        Array.from({ length: acknowledged + 1 }, (_, i) => i),
      );
    } finally {
      await storage.close();
    }
  });
});
