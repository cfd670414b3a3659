import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isUniqueViolation } from '../../server/admin/repoSupport.ts';
import { SqliteStorage } from '../../server/storage/sqlite.ts';
import { WRITER_THREAD_NAME } from '../../server/storage/sqliteWriterProtocol.ts';

const sqliteModule = fileURLToPath(new URL('../../server/storage/sqlite.ts', import.meta.url));

/** Opens a storage, appends, and never closes it: the process must still end by itself. */
const forgetfulScript = `
  import { SqliteStorage } from ${JSON.stringify(sqliteModule)};
  const storage = new SqliteStorage(process.argv[1]);
  await storage.migrate();
  const id = await storage.appendUpdates('doc', [new Uint8Array([1, 2, 3])]);
  process.stdout.write('appended ' + id + '\\n');
`;

/** SQLite writes run on a worker thread and are group-committed across documents. */
describe('SqliteStorage writer thread', () => {
  let dir: string;
  let storage: SqliteStorage;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'docbridge-sqlite-writer-'));
    storage = new SqliteStorage(join(dir, 'docbridge.db'));
    await storage.migrate();
  });
  afterEach(async () => {
    await storage.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('resolves each of many concurrent appends across documents with its own last id, all stored in order', async () => {
    const documents = Array.from({ length: 12 }, (_, d) => `dept-a/doc-${d}`);
    const calls = documents.flatMap((doc, d) =>
      Array.from({ length: 8 }, (_, n) => ({
        doc,
        updates: [Uint8Array.of(d, n, 0), Uint8Array.of(d, n, 1)],
      })),
    );
    const written = await Promise.all(calls.map(({ doc, updates }) => storage.appendUpdates(doc, updates)));
    // One connection inserts an append's updates one after another: consecutive ids.
    for (const [first, second] of written) expect(second).toBe(first! + 1);
    const ids = written.map((appended) => appended.at(-1)!);
    expect(new Set(ids).size).toBe(ids.length);
    for (const doc of documents) {
      const mine = ids.filter((_, i) => calls[i]!.doc === doc);
      expect(mine).toEqual([...mine].sort((a, b) => a - b));
      const stored = await storage.loadDocument(doc);
      const expected = calls.filter((c) => c.doc === doc).flatMap((c) => c.updates);
      expect(stored.updates).toEqual(expected);
      expect(stored.upTo).toBe(mine.at(-1));
    }
  });

  it('rejects the callers of a failed group commit and keeps appending afterwards', async () => {
    const broken = storage.appendUpdates(null as unknown as string, [Uint8Array.of(1)]);
    const sameBatch = storage.appendUpdates('dept-a/ok', [Uint8Array.of(2)]);
    await expect(broken).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_NOTNULL' });
    await expect(sameBatch).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_NOTNULL' });
    await storage.appendUpdates('dept-a/ok', [Uint8Array.of(3)]);
    expect((await storage.loadDocument('dept-a/ok')).updates).toEqual([Uint8Array.of(3)]);
  });

  it('names its thread sqlite-writer, where top -H and the bench find it', async () => {
    await storage.appendUpdates('dept-a/ok', [Uint8Array.of(1)]);
    const names = readdirSync('/proc/self/task').map((tid) =>
      readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim(),
    );
    expect(names).toContain(WRITER_THREAD_NAME);
  });

  it('reports driver errors from the writer thread with their SQLite code', async () => {
    const insert =
      'INSERT INTO documents (name, tenant, title, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)';
    await storage.sql.execute(insert, ['dept-a/x', 'dept-a', 'X', 1]);
    const error = await storage.sql.execute(insert, ['dept-a/x', 'dept-a', 'X', 2]).catch((e: unknown) => e);
    expect(isUniqueViolation(error)).toBe(true);
    const inTransaction = await storage.sql
      .transaction(async (tx) => tx.execute(insert, ['dept-a/x', 'dept-a', 'X', 3]))
      .catch((e: unknown) => e);
    expect(isUniqueViolation(inTransaction)).toBe(true);
    expect(await storage.sql.query('SELECT title FROM documents')).toEqual([{ title: 'X' }]);
  });

  it('lets a process that never closes its storage end by itself once idle', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', forgetfulScript, join(dir, 'other.db')],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(output).toContain('appended 1');
    expect(code).toBe(0);
  });
});
