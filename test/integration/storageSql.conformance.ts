import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { mergeToSnapshot } from '../../server/storage/mergeUpdates.ts';
import type { Storage, StoredDocument } from '../../server/storage/storage.ts';

/** One migrated database shared by a describe block; tests keep apart by unique document and tenant names. */
export interface SqlFixture {
  /** A new storage instance on the fixture's database (like one more server), already migrated. */
  open(): Promise<Storage>;
  /** True when `needle` occurs anywhere in what the database holds on disk or in its rows, raw. */
  rawContains(needle: string): Promise<boolean>;
  /** Closes every instance and removes the database. */
  dispose(): Promise<void>;
}

function gate(): { promise: Promise<void>; open(): void } {
  let open = (): void => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** `count` real Yjs updates typing `<label>0 <label>1 ...` into text 't'. */
function edits(label: string, count: number, clientID: number): Uint8Array[] {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  for (let i = 0; i < count; i++) doc.getText('t').insert(doc.getText('t').length, `${label}${i} `);
  return updates;
}

function textOf(stored: StoredDocument): string {
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const update of stored.updates) Y.applyUpdate(doc, update);
  return doc.getText('t').toString();
}

const unique = (): string => `t${randomUUID().slice(0, 8)}`;

/**
 * The acceptance suite of `Storage.sql`, run against every back end: portable placeholders and types,
 * transactions that commit or roll back as a whole (document log included), and isolation from writes and
 * reads made outside an open transaction.
 */
export function describeSqlConformance(name: string, makeFixture: () => Promise<SqlFixture>): void {
  describe(`storage.sql conformance: ${name}`, () => {
    let fixture: SqlFixture;
    let storage: Storage;
    beforeAll(async () => {
      fixture = await makeFixture();
      storage = await fixture.open();
    });
    afterAll(async () => {
      await fixture.dispose();
    });

    it('binds $n placeholders (repeated, out of order) and normalises BIGINT and BLOB values', async () => {
      const tenant = unique();
      const big = 5_000_000_000_123;
      await storage.sql.execute(
        `INSERT INTO audit_log (tenant, actor, action, target, details, at) VALUES ($2, $3, $3, $1, '{}', $4)`,
        ['target', tenant, 'actor', big],
      );
      const rows = await storage.sql.query<{ at: number; n: number; same: string; lit: string }>(
        `SELECT at, (SELECT count(*) FROM audit_log WHERE tenant = $1) AS n, $2 AS same, '$1 stays' AS lit
         FROM audit_log WHERE tenant = $1 AND actor = $2 AND action = $2`,
        [tenant, 'actor'],
      );
      expect(rows).toEqual([{ at: big, n: 1, same: 'actor', lit: '$1 stays' }]);

      const bytes = Uint8Array.from({ length: 256 }, (_, i) => 255 - i);
      await storage.sql.execute(
        'INSERT INTO doc_versions (tenant, doc, name, state, created_by, created_at) VALUES ($1, $2, NULL, $3, NULL, 1)',
        [tenant, `${tenant}/d`, bytes],
      );
      const [version] = await storage.sql.query<{ state: Uint8Array; name: null }>(
        'SELECT state, name FROM doc_versions WHERE tenant = $1',
        [tenant],
      );
      expect(version?.state).toEqual(bytes);
      expect(version?.state.constructor).toBe(Uint8Array);
      expect(version?.name).toBeNull();
    });

    it('rejects a statement given the wrong number of values', async () => {
      await expect(storage.sql.query('SELECT $1 AS a, $2 AS b', ['only one'])).rejects.toThrow();
      await expect(
        storage.sql.execute('DELETE FROM documents WHERE name = $1', ['a', 'b']),
      ).rejects.toThrow();
    });

    it('commits a transaction: its rows and its document updates land together', async () => {
      const tenant = unique();
      const doc = `${tenant}/doc`;
      const updates = edits('a', 3, 1);
      const logId = await storage.sql.transaction(async (tx) => {
        await tx.execute(
          `INSERT INTO documents (name, tenant, title, created_by, created_at, updated_at) VALUES ($1, $2, 'T', NULL, 1, 1)`,
          [doc, tenant],
        );
        const seen = await tx.query<{ n: number }>('SELECT count(*) AS n FROM documents WHERE tenant = $1', [
          tenant,
        ]);
        expect(seen[0]?.n).toBe(1);
        return tx.appendUpdates(doc, updates);
      });
      expect(logId).toBe((await storage.loadDocument(doc)).upTo);
      expect((await storage.loadDocument(doc)).updates).toEqual(updates);
      expect(await storage.sql.query('SELECT name FROM documents WHERE tenant = $1', [tenant])).toEqual([
        { name: doc },
      ]);
    });

    it('rolls back a transaction that throws: neither its rows nor its document updates remain', async () => {
      const tenant = unique();
      const doc = `${tenant}/doc`;
      const failure = new Error('connector write failed');
      await expect(
        storage.sql.transaction(async (tx) => {
          await tx.appendUpdates(doc, edits('x', 2, 2));
          await tx.execute(
            `INSERT INTO documents (name, tenant, title, created_by, created_at, updated_at) VALUES ($1, $2, 'T', NULL, 1, 1)`,
            [doc, tenant],
          );
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(await storage.loadDocument(doc)).toEqual({
        snapshot: null,
        updates: [],
        ids: [],
        upTo: 0,
        snapshotUpTo: null,
      });
      expect(await storage.sql.query('SELECT name FROM documents WHERE tenant = $1', [tenant])).toEqual([]);
    });

    it('nests transactions as savepoints: an inner rollback keeps the outer transaction', async () => {
      const tenant = unique();
      const insert = `INSERT INTO documents (name, tenant, title, created_by, created_at, updated_at)
                      VALUES ($1, $2, 'T', NULL, 1, 1)`;
      await storage.sql.transaction(async (tx) => {
        await tx.execute(insert, [`${tenant}/outer`, tenant]);
        await expect(
          tx.transaction(async (inner) => {
            await inner.execute(insert, [`${tenant}/inner`, tenant]);
            await inner.appendUpdates(`${tenant}/inner`, edits('i', 1, 3));
            throw new Error('inner fails');
          }),
        ).rejects.toThrow('inner fails');
        await tx.transaction(async (inner) => inner.execute(insert, [`${tenant}/kept`, tenant]));
      });
      const names = await storage.sql.query<{ name: string }>(
        'SELECT name FROM documents WHERE tenant = $1 ORDER BY name',
        [tenant],
      );
      expect(names.map((row) => row.name)).toEqual([`${tenant}/kept`, `${tenant}/outer`]);
      expect(await storage.logLength(`${tenant}/inner`)).toBe(0);
    });

    it('refuses a transaction handle used after its transaction ended', async () => {
      let leaked: Parameters<Parameters<Storage['sql']['transaction']>[0]>[0] | undefined;
      await storage.sql.transaction(async (tx) => {
        leaked = tx;
      });
      await expect(leaked!.query('SELECT 1 AS one')).rejects.toMatchObject({
        code: 'STORAGE_TRANSACTION_CLOSED',
      });
      await expect(leaked!.appendUpdates('x/y', edits('z', 1, 4))).rejects.toMatchObject({
        code: 'STORAGE_TRANSACTION_CLOSED',
      });
    });

    it('isolates an awaiting transaction: concurrent appends, reads and compactions never join it', async () => {
      const tenant = unique();
      const doc = `${tenant}/shared`;
      const before = edits('before', 2, 10);
      await storage.appendUpdates(doc, before);
      const other = await fixture.open();
      const inside = gate();
      const release = gate();
      const rolledBack = new Error('roll back');
      const transaction = storage.sql.transaction(async (tx) => {
        await tx.appendUpdates(doc, edits('tx', 3, 11));
        await tx.execute(
          `INSERT INTO documents (name, tenant, title, created_by, created_at, updated_at) VALUES ($1, $2, 'T', NULL, 1, 1)`,
          [doc, tenant],
        );
        inside.open();
        await release.promise;
        throw rolledBack;
      });
      await inside.promise;
      // Issued while the transaction is open and awaiting: on the same instance and on another one.
      const concurrent = edits('concurrent', 2, 12);
      const appended = storage.appendUpdates(doc, concurrent.slice(0, 1));
      const appendedElsewhere = other.appendUpdates(doc, concurrent.slice(1));
      const compacted = storage.compact(doc, mergeToSnapshot);
      const loaded = await storage.loadDocument(doc);
      const rowsSeen = await storage.sql.query('SELECT name FROM documents WHERE name = $1', [doc]);
      release.open();
      await expect(transaction).rejects.toBe(rolledBack);
      await Promise.all([appended, appendedElsewhere, compacted]);

      // Reads made during the transaction saw committed data only.
      expect(textOf(loaded)).not.toContain('tx0');
      expect(rowsSeen).toEqual([]);
      // The rollback took exactly the transaction's writes: both concurrent appends survive.
      const text = textOf(await other.loadDocument(doc));
      expect(text).toContain('before0 before1');
      expect(text).toContain('concurrent0');
      expect(text).toContain('concurrent1');
      expect(text).not.toContain('tx');
      expect(await storage.sql.query('SELECT name FROM documents WHERE name = $1', [doc])).toEqual([]);
    });

    it('keeps a transaction committed by one instance visible to every other instance', async () => {
      const tenant = unique();
      const second = await fixture.open();
      await Promise.all(
        [storage, second].map((instance, i) =>
          instance.sql.transaction(async (tx) => {
            await tx.execute(
              `INSERT INTO documents (name, tenant, title, created_by, created_at, updated_at) VALUES ($1, $2, 'T', NULL, 1, 1)`,
              [`${tenant}/d${i}`, tenant],
            );
            await tx.appendUpdates(`${tenant}/log`, edits(`i${i}-`, 2, 20 + i));
          }),
        ),
      );
      const rows = await second.sql.query<{ n: number }>(
        'SELECT count(*) AS n FROM documents WHERE tenant = $1',
        [tenant],
      );
      expect(rows[0]?.n).toBe(2);
      expect(await storage.logLength(`${tenant}/log`)).toBe(4);
    });
  });
}
