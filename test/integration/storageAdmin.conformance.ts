import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AdminStores, createAdminStores } from '../../server/admin/adminStores.ts';
import { AuditRepo } from '../../server/admin/auditRepo.ts';
import { SecretBox } from '../../server/admin/secretBox.ts';
import type { Storage } from '../../server/storage/storage.ts';
import type { SqlFixture } from './storageSql.conformance.ts';

const key = (id: string) => ({ id, key: randomBytes(32) });
const unique = (): string => `t${randomUUID().slice(0, 8)}`;

/** A service-account-like secret; its marker must never appear in the database in clear. */
function secretFor(label: string): string {
  return JSON.stringify({
    type: 'service_account',
    private_key: `-----BEGIN PRIVATE KEY-----${label}${randomUUID()}`,
  });
}

/**
 * The acceptance suite of the admin repositories (server/admin/), run against every back end: tenant
 * isolation of every method, encryption at rest, key rotation, links and their sync state, leases,
 * the audit log and versions. Time is a test clock, never the wall clock.
 */
export function describeAdminStoresConformance(name: string, makeFixture: () => Promise<SqlFixture>): void {
  describe(`admin stores conformance: ${name}`, () => {
    let fixture: SqlFixture;
    let storage: Storage;
    let now: number;
    const clock = () => now;
    const oldKey = key('old');
    const box = new SecretBox([oldKey]);
    let stores: AdminStores;
    let a: string;
    let b: string;

    beforeAll(async () => {
      fixture = await makeFixture();
      storage = await fixture.open();
    });
    afterAll(async () => {
      await fixture.dispose();
    });
    beforeEach(() => {
      now = 1_700_000_000_000;
      stores = createAdminStores(storage.sql, box, clock);
      a = unique();
      b = unique();
    });

    async function linkFixture(tenant = a) {
      const credential = await stores.credentials.create(tenant, {
        provider: 'google',
        name: 'sa',
        secret: secretFor('x'),
      });
      const link = await stores.links.create(tenant, {
        doc: `${tenant}/doc`,
        credentialId: credential.id,
        remoteId: 'g1',
      });
      return { credential, link };
    }

    it('registers documents per tenant: ensure is idempotent, rename changes the title only, lists page by name', async () => {
      const first = await stores.documents.ensure(a, {
        name: `${a}/report`,
        title: 'Report',
        createdBy: 'u1',
      });
      now += 10;
      expect(await stores.documents.ensure(a, { name: `${a}/report`, title: 'Other' })).toEqual(first);
      await expect(stores.documents.create(a, { name: `${a}/report` })).rejects.toMatchObject({
        code: 'DOCUMENT_EXISTS',
      });
      const renamed = await stores.documents.rename(a, `${a}/report`, 'Annual report');
      expect(renamed).toMatchObject({
        name: `${a}/report`,
        title: 'Annual report',
        createdAt: first.createdAt,
        updatedAt: now,
      });
      for (const id of ['q1-a', 'q1-b', 'q2-a', 'notes'])
        await stores.documents.create(a, { name: `${a}/${id}` });
      const page1 = await stores.documents.list(a, { prefix: `${a}/q`, limit: 2 });
      expect(page1.items.map((d) => d.title)).toEqual(['q1-a', 'q1-b']);
      const page2 = await stores.documents.list(a, { prefix: `${a}/q`, limit: 2, after: page1.next });
      expect(page2).toEqual({ items: [expect.objectContaining({ title: 'q2-a' })], next: null });
      expect((await stores.documents.list(a)).items).toHaveLength(5);
    });

    it('never shows or changes a document of another tenant', async () => {
      await stores.documents.create(a, { name: `${a}/private` });
      await expect(stores.documents.create(b, { name: `${a}/private` })).rejects.toMatchObject({
        code: 'DOCUMENT_TENANT_MISMATCH',
      });
      await expect(stores.documents.ensure(b, { name: `${a}/other` })).rejects.toMatchObject({
        code: 'DOCUMENT_TENANT_MISMATCH',
      });
      expect(await stores.documents.get(b, `${a}/private`)).toBeNull();
      expect((await stores.documents.list(b)).items).toEqual([]);
      expect((await stores.documents.list(b, { prefix: `${a}/` })).items).toEqual([]);
      await expect(stores.documents.rename(b, `${a}/private`, 'taken')).rejects.toMatchObject({
        code: 'DOCUMENT_NOT_FOUND',
      });
      expect((await stores.documents.get(a, `${a}/private`))?.title).toBe('private');
    });

    it('stores credentials encrypted: metadata and fingerprint are listed, the secret only comes out of openSecret', async () => {
      const secret = secretFor('MARKER-ONE');
      const created = await stores.credentials.create(a, {
        provider: 'google',
        name: 'Drive robot',
        secret,
        metadata: { client_email: 'robot@example.iam.gserviceaccount.com', subject: null },
        createdBy: 'admin-1',
      });
      expect(created.fingerprint).toMatch(/^sha256:[0-9a-f]{16}$/);
      const listed = await stores.credentials.list(a);
      expect(listed).toEqual([
        expect.objectContaining({
          id: created.id,
          provider: 'google',
          fingerprint: created.fingerprint,
          keyId: 'old',
          metadata: { client_email: 'robot@example.iam.gserviceaccount.com', subject: null },
          createdBy: 'admin-1',
          verifiedAt: null,
        }),
      ]);
      expect(JSON.stringify(listed)).not.toContain('MARKER-ONE');
      expect(JSON.stringify(await stores.credentials.get(a, created.id))).not.toContain('MARKER-ONE');
      expect(await stores.credentials.openSecret(a, created.id)).toBe(secret);
      expect(await fixture.rawContains('MARKER-ONE')).toBe(false);
      expect(await fixture.rawContains('robot@example.iam.gserviceaccount.com')).toBe(true);
    });

    it('keeps credentials invisible and untouchable from another tenant', async () => {
      const { id } = await stores.credentials.create(a, {
        provider: 'microsoft',
        name: 'app',
        secret: secretFor('y'),
      });
      expect(await stores.credentials.list(b)).toEqual([]);
      expect(await stores.credentials.get(b, id)).toBeNull();
      const notFound = { name: 'AdminStoreError', code: 'CREDENTIAL_NOT_FOUND' };
      await expect(stores.credentials.openSecret(b, id)).rejects.toMatchObject(notFound);
      await expect(stores.credentials.replaceSecret(b, id, 'stolen')).rejects.toMatchObject(notFound);
      await expect(stores.credentials.recordCheck(b, id, null)).rejects.toMatchObject(notFound);
      await expect(stores.credentials.delete(b, id, { force: true })).rejects.toMatchObject(notFound);
      expect(await stores.credentials.get(a, id)).toMatchObject({ verifiedAt: null });
    });

    it('refuses a ciphertext moved to another tenant or another credential id', async () => {
      const { id } = await stores.credentials.create(a, {
        provider: 'google',
        name: 'sa',
        secret: secretFor('z'),
      });
      const copy = randomUUID();
      await storage.sql.execute(
        `INSERT INTO credentials (id, tenant, provider, name, fingerprint, ciphertext, iv, auth_tag, key_id, metadata, created_at)
         SELECT $2, tenant, provider, name, fingerprint, ciphertext, iv, auth_tag, key_id, metadata, created_at
         FROM credentials WHERE id = $1`,
        [id, copy],
      );
      await expect(stores.credentials.openSecret(a, copy)).rejects.toMatchObject({
        code: 'SECRET_DECRYPT_FAILED',
      });
      await storage.sql.execute('UPDATE credentials SET tenant = $2 WHERE id = $1', [id, b]);
      await expect(stores.credentials.openSecret(b, id)).rejects.toMatchObject({
        code: 'SECRET_DECRYPT_FAILED',
      });
      await expect(stores.credentials.openSecret(a, id)).rejects.toMatchObject({
        code: 'CREDENTIAL_NOT_FOUND',
      });
    });

    it('rotates master keys: old rows decrypt after a new primary key, resealAll moves them to it', async () => {
      const first = await stores.credentials.create(a, {
        provider: 'google',
        name: 'old',
        secret: 'old-secret-1',
      });
      const newKey = key('new');
      const rotated = new SecretBox([newKey, oldKey]);
      const repo = createAdminStores(storage.sql, rotated, clock).credentials;
      expect(await repo.openSecret(a, first.id)).toBe('old-secret-1');
      const second = await repo.create(a, { provider: 'google', name: 'new', secret: 'new-secret-2' });
      expect((await repo.get(a, second.id))?.keyId).toBe('new');
      await expect(stores.credentials.openSecret(a, second.id)).rejects.toMatchObject({
        code: 'MASTER_KEY_UNKNOWN',
      });
      const report = await repo.resealAll();
      // Rows other tests tampered with on purpose are reported, not fatal.
      expect(report.resealed).toBeGreaterThanOrEqual(1);
      expect(report.failed.every((failure) => failure.code === 'SECRET_DECRYPT_FAILED')).toBe(true);
      expect(report.failed.some((failure) => failure.id === first.id)).toBe(false);
      expect((await repo.get(a, first.id))?.keyId).toBe('new');
      const onlyNew = createAdminStores(storage.sql, new SecretBox([newKey]), clock);
      expect(await onlyNew.credentials.openSecret(a, first.id)).toBe('old-secret-1');
      expect(await onlyNew.credentials.openSecret(a, second.id)).toBe('new-secret-2');
    });

    it('replaces a secret and records checks; refuses deleting a credential in use unless forced', async () => {
      const { credential, link } = await linkFixture();
      const replaced = await stores.credentials.replaceSecret(a, credential.id, 'rotated-client-secret');
      expect(replaced.fingerprint).not.toBe(credential.fingerprint);
      expect(await stores.credentials.openSecret(a, credential.id)).toBe('rotated-client-secret');
      await stores.credentials.recordCheck(a, credential.id, 'invalid_grant');
      expect(await stores.credentials.get(a, credential.id)).toMatchObject({
        lastError: 'invalid_grant',
        verifiedAt: null,
      });
      await stores.credentials.recordCheck(a, credential.id, null);
      expect(await stores.credentials.get(a, credential.id)).toMatchObject({
        lastError: null,
        verifiedAt: now,
      });
      await expect(stores.credentials.delete(a, credential.id)).rejects.toMatchObject({
        code: 'CREDENTIAL_IN_USE',
      });
      expect(await stores.links.get(a, link.id)).not.toBeNull();
      expect(await stores.credentials.delete(a, credential.id, { force: true })).toEqual({ deletedLinks: 1 });
      expect(await stores.links.get(a, link.id)).toBeNull();
      expect(await stores.credentials.list(a)).toEqual([]);
    });

    it('creates links only with a credential of the same tenant, once per remote file', async () => {
      const { credential, link } = await linkFixture();
      expect(link).toMatchObject({
        tenant: a,
        doc: `${a}/doc`,
        provider: 'google',
        status: 'linking',
        consecutiveFailures: 0,
      });
      const foreign = await stores.credentials.create(b, {
        provider: 'google',
        name: 'b',
        secret: 'b-secret',
      });
      await expect(
        stores.links.create(a, { doc: `${a}/doc`, credentialId: foreign.id, remoteId: 'g2' }),
      ).rejects.toMatchObject({ code: 'CREDENTIAL_TENANT_MISMATCH' });
      await expect(
        stores.links.create(b, { doc: `${a}/doc`, credentialId: foreign.id, remoteId: 'g2' }),
      ).rejects.toMatchObject({ code: 'DOCUMENT_TENANT_MISMATCH' });
      await expect(
        stores.links.create(a, { doc: `${a}/doc`, credentialId: randomUUID(), remoteId: 'g2' }),
      ).rejects.toMatchObject({ code: 'CREDENTIAL_NOT_FOUND' });
      await expect(
        stores.links.create(a, { doc: `${a}/doc`, credentialId: credential.id, remoteId: 'g1' }),
      ).rejects.toMatchObject({ code: 'LINK_EXISTS' });
      // The database refuses a cross-tenant link even when the repository is bypassed.
      await expect(
        storage.sql.execute(
          `INSERT INTO links (id, tenant, doc, credential_id, provider, remote_id, created_at, updated_at)
           VALUES ($1, $2, $3, $4, 'google', 'raw', 1, 1)`,
          [randomUUID(), b, `${b}/doc`, credential.id],
        ),
      ).rejects.toThrow();
      const second = await stores.links.create(a, {
        doc: `${a}/doc`,
        credentialId: credential.id,
        remoteId: 'g2',
      });
      const third = await stores.links.create(a, {
        doc: `${a}/another`,
        credentialId: credential.id,
        remoteId: 'g1',
      });
      expect((await stores.links.listByDoc(a, `${a}/doc`)).map((l) => l.id).sort()).toEqual(
        [link.id, second.id].sort(),
      );
      const page1 = await stores.links.listByTenant(a, { limit: 2 });
      const page2 = await stores.links.listByTenant(a, { limit: 2, after: page1.next });
      expect([...page1.items, ...page2.items].map((l) => l.doc)).toEqual([
        `${a}/another`,
        `${a}/doc`,
        `${a}/doc`,
      ]);
      expect(page2.next).toBeNull();
      expect(third.doc).toBe(`${a}/another`);
    });

    it('never shows or changes a link of another tenant', async () => {
      const { link } = await linkFixture();
      const missing = { code: 'LINK_NOT_FOUND' };
      expect(await stores.links.get(b, link.id)).toBeNull();
      expect(await stores.links.listByDoc(b, `${a}/doc`)).toEqual([]);
      expect((await stores.links.listByTenant(b)).items).toEqual([]);
      await expect(stores.links.setStatus(b, link.id, 'paused')).rejects.toMatchObject(missing);
      await expect(stores.links.delete(b, link.id)).rejects.toMatchObject(missing);
      await expect(stores.linkSync.load(b, link.id)).rejects.toMatchObject(missing);
      const state = { remoteRev: 'r1', shadow: new Uint8Array([1]), remoteSnapshot: null };
      await expect(
        stores.linkSync.save(b, link.id, state, { liveUpdates: [new Uint8Array([9])] }),
      ).rejects.toMatchObject(missing);
      await expect(stores.linkSync.countFailure(b, link.id, 'x')).rejects.toMatchObject(missing);
      // Status reports are advisory and unfenced: from the wrong tenant they change nothing.
      await stores.linkSync.report(b, link.id, {
        status: 'synced',
        detail: null,
        error: null,
        nextAttemptAt: null,
      });
      expect(await stores.links.get(a, link.id)).toMatchObject({
        status: 'linking',
        remoteRev: null,
        consecutiveFailures: 0,
      });
      expect(await storage.logLength(`${a}/doc`)).toBe(0);
    });

    it('saves shadow, revision, snapshot and live updates in one transaction, fenced by the lease', async () => {
      const { link } = await linkFixture();
      const doc = `${a}/doc`;
      const snapshot = new TextEncoder().encode('{"documentId":"g1"}');
      expect(await stores.linkSync.acquireLease(link.id, 'node-1', 30_000)).toEqual({
        owner: 'node-1',
        expiresAt: now + 30_000,
      });
      const saved = await stores.linkSync.save(
        a,
        link.id,
        { remoteRev: 'rev-1', shadow: new Uint8Array([1, 2, 3]), remoteSnapshot: snapshot },
        { liveUpdates: [new Uint8Array([7]), new Uint8Array([8])], leaseOwner: 'node-1' },
      );
      expect(saved.logId).toBe((await storage.loadDocument(doc)).upTo);
      expect(await stores.linkSync.load(a, link.id)).toEqual({
        remoteRev: 'rev-1',
        shadow: new Uint8Array([1, 2, 3]),
        remoteSnapshot: snapshot,
        pendingPush: null,
      });
      expect(await stores.links.get(a, link.id)).toMatchObject({
        status: 'synced',
        remoteRev: 'rev-1',
        lastSyncedAt: now,
      });

      // A write about to be sent is recorded (fenced by the lease), survives a reload, and a save clears it.
      const pending = { liveState: new Uint8Array([4, 5]), baseRev: 'rev-1' };
      await stores.linkSync.recordPendingPush(a, link.id, pending, { leaseOwner: 'node-1' });
      expect((await stores.linkSync.load(a, link.id)).pendingPush).toEqual(pending);
      // A push of several calls adds its resume record once the first call landed; a save clears it too.
      const resumable = { ...pending, resume: new Uint8Array([9, 9]) };
      await stores.linkSync.recordPendingPush(a, link.id, resumable, { leaseOwner: 'node-1' });
      expect((await stores.linkSync.load(a, link.id)).pendingPush).toEqual(resumable);
      await expect(
        stores.linkSync.recordPendingPush(a, link.id, null, { leaseOwner: 'node-2' }),
      ).rejects.toMatchObject({
        code: 'LEASE_LOST',
      });
      await stores.linkSync.save(
        a,
        link.id,
        { remoteRev: 'rev-1', shadow: new Uint8Array([1, 2, 3]), remoteSnapshot: snapshot },
        { leaseOwner: 'node-1' },
      );
      expect((await stores.linkSync.load(a, link.id)).pendingPush).toBeNull();
      // When the Word add-in left (a hand-over) is kept with the state, large epoch values included, until a
      // save clears it.
      const liveEndedAt = Date.UTC(2026, 11, 5, 8, 0, 0, 123);
      const withEnd = { remoteRev: 'rev-1', shadow: new Uint8Array([1, 2, 3]), remoteSnapshot: snapshot };
      await stores.linkSync.save(a, link.id, { ...withEnd, liveEndedAt }, { leaseOwner: 'node-1' });
      expect((await stores.linkSync.load(a, link.id)).liveEndedAt).toBe(liveEndedAt);
      await stores.linkSync.save(a, link.id, withEnd, { leaseOwner: 'node-1' });
      expect((await stores.linkSync.load(a, link.id)).liveEndedAt).toBeUndefined();

      now += 30_000; // the lease expired: a stale owner's save writes nothing at all
      await expect(
        stores.linkSync.save(
          a,
          link.id,
          { remoteRev: 'rev-2', shadow: null, remoteSnapshot: null },
          {
            liveUpdates: [new Uint8Array([9])],
            leaseOwner: 'node-1',
          },
        ),
      ).rejects.toMatchObject({ code: 'LEASE_LOST' });
      // Composed with an audit entry in an outer transaction that fails: nothing lands either.
      await expect(
        storage.sql.transaction(async (tx) => {
          const inTx = createAdminStores(tx, box, clock);
          await inTx.linkSync.save(
            a,
            link.id,
            { remoteRev: 'rev-3', shadow: null, remoteSnapshot: null },
            { liveUpdates: [new Uint8Array([10])] },
          );
          await inTx.audit.append({ tenant: a, actor: `connector:${link.id}`, action: 'connector.pull' });
          throw new Error('push failed after pull');
        }),
      ).rejects.toThrow('push failed after pull');
      expect((await stores.linkSync.load(a, link.id)).remoteRev).toBe('rev-1');
      expect((await storage.loadDocument(doc)).updates).toEqual([new Uint8Array([7]), new Uint8Array([8])]);
      expect((await stores.audit.list(a)).items).toEqual([]);
    });

    it('counts failures, keeps the status the engine reports, and lists only due, unleased, runnable links', async () => {
      const { link } = await linkFixture();
      expect((await stores.linkSync.listDue()).some((l) => l.id === link.id)).toBe(true);
      // The engine's path: count the failure here, decide back-off or quarantine from the count, report it.
      expect(await stores.linkSync.countFailure(a, link.id, '429 Too Many Requests')).toBe(1);
      await stores.linkSync.report(a, link.id, {
        status: 'error',
        detail: 'retrying in 5 s',
        error: '429 Too Many Requests',
        nextAttemptAt: now + 5000,
      });
      expect(await stores.links.get(a, link.id)).toMatchObject({
        status: 'error',
        consecutiveFailures: 1,
        lastError: '429 Too Many Requests',
        nextAttemptAt: now + 5000,
      });
      expect((await stores.linkSync.listDue()).some((l) => l.id === link.id)).toBe(false);
      now += 5000;
      expect((await stores.linkSync.listDue()).some((l) => l.id === link.id)).toBe(true);
      await stores.linkSync.acquireLease(link.id, 'node-1', 1000);
      expect((await stores.linkSync.listDue()).some((l) => l.id === link.id)).toBe(false);
      // The count survives whoever holds the lease: it lives in the row, not in a runner.
      const other = createAdminStores((await fixture.open()).sql, box, clock);
      expect(await other.linkSync.countFailure(a, link.id, '503')).toBe(2);
      expect(await stores.linkSync.countFailure(a, link.id, '503')).toBe(3);
      await stores.linkSync.report(a, link.id, {
        status: 'quarantined',
        detail: 'failed 3 times',
        error: '503',
        nextAttemptAt: null,
      });
      expect(await stores.links.get(a, link.id)).toMatchObject({
        status: 'quarantined',
        consecutiveFailures: 3,
      });
      now += 1000;
      expect((await stores.linkSync.listDue()).some((l) => l.id === link.id)).toBe(false);
      const resumed = await stores.links.setStatus(a, link.id, 'linking', 'resumed by admin');
      expect(resumed).toMatchObject({
        status: 'linking',
        consecutiveFailures: 0,
        nextAttemptAt: null,
        statusDetail: 'resumed by admin',
      });
      await stores.linkSync.countFailure(a, link.id, '503');
      await stores.linkSync.report(a, link.id, {
        status: 'synced',
        detail: null,
        error: null,
        nextAttemptAt: null,
      });
      expect(await stores.links.get(a, link.id)).toMatchObject({
        status: 'synced',
        consecutiveFailures: 0,
        lastSyncedAt: now,
      });
    });

    it('finds a provider’s credentials across tenants and a tenant’s links to one remote file', async () => {
      const first = await linkFixture(a);
      const second = await linkFixture(b);
      const google = (await stores.credentials.listAcrossTenants('google')).map((c) => c.id);
      expect(google).toEqual(expect.arrayContaining([first.credential.id, second.credential.id]));
      expect(await stores.credentials.listAcrossTenants('microsoft')).not.toContainEqual(
        expect.objectContaining({ id: first.credential.id }),
      );
      const found = await stores.links.listByRemote(a, [first.credential.id, second.credential.id], 'g1');
      expect(found.map((l) => l.id)).toEqual([first.link.id]);
      expect(await stores.links.listByRemote(a, [second.credential.id], 'g1')).toEqual([]);
      expect(await stores.links.listByRemote(a, [first.credential.id], 'g2')).toEqual([]);
    });

    it('flags links of a provider whose document has that suite’s live client on another instance', async () => {
      const { link } = await linkFixture();
      await stores.linkSync.acquireLease(link.id, 'holder', 10_000);
      // The holder's own report, and another provider's, flag nothing.
      await stores.linkSync.markRemoteLiveClients([{ doc: link.doc, provider: 'google' }], 'holder');
      await stores.linkSync.markRemoteLiveClients([{ doc: link.doc, provider: 'microsoft' }], 'other');
      const flag = async () =>
        (await stores.linkSync.crossInstanceFlags('holder')).find((f) => f.id === link.id);
      expect((await flag())?.liveClientsAt ?? null).toBeNull();
      await stores.linkSync.markRemoteLiveClients([{ doc: link.doc, provider: 'google' }], 'other');
      expect(await flag()).toMatchObject({ liveClientsAt: now });
      now += 2000;
      await stores.linkSync.markRemoteLiveClients([{ doc: link.doc, provider: 'google' }], 'other');
      expect(await flag()).toMatchObject({ liveClientsAt: now });
    });

    it('gives a lease to exactly one of two racing owners; expiry lets the other take over', async () => {
      const { link } = await linkFixture();
      const other = createAdminStores((await fixture.open()).sql, box, clock);
      for (let round = 0; round < 5; round++) {
        now += 100_000;
        const results = await Promise.all([
          stores.linkSync.acquireLease(link.id, `a${round}`, 10_000),
          other.linkSync.acquireLease(link.id, `b${round}`, 10_000),
        ]);
        expect(results.filter((lease) => lease !== null)).toHaveLength(1);
      }
      now += 100_000;
      expect(await stores.linkSync.acquireLease(link.id, 'first', 10_000)).not.toBeNull();
      expect(await other.linkSync.acquireLease(link.id, 'second', 10_000)).toBeNull();
      expect(await other.linkSync.renewLease(link.id, 'second', 10_000)).toBeNull();
      expect(await other.linkSync.releaseLease(link.id, 'second')).toBe(false);
      now += 5000;
      expect(await stores.linkSync.renewLease(link.id, 'first', 10_000)).toEqual({
        owner: 'first',
        expiresAt: now + 10_000,
      });
      now += 10_000;
      expect(await other.linkSync.acquireLease(link.id, 'second', 10_000)).toEqual({
        owner: 'second',
        expiresAt: now + 10_000,
      });
      expect(await stores.linkSync.renewLease(link.id, 'first', 10_000)).toBeNull();
      expect(await other.linkSync.releaseLease(link.id, 'second')).toBe(true);
      expect(await stores.linkSync.acquireLease(link.id, 'first', 10_000)).not.toBeNull();
      expect(await stores.linkSync.acquireLease(randomUUID(), 'first', 10_000)).toBeNull();
    });

    it('flags live changes of many documents in one call on the links other instances hold, never on the flagger’s', async () => {
      const { credential, link } = await linkFixture();
      const mine = await stores.links.create(a, {
        doc: `${a}/other`,
        credentialId: credential.id,
        remoteId: 'g2',
      });
      await stores.linkSync.acquireLease(link.id, 'flags-holder', 10_000);
      await stores.linkSync.acquireLease(mine.id, 'flags-flagger', 10_000);
      // More documents than one statement takes: the linked one comes last.
      const unlinked = Array.from({ length: 600 }, (_, i) => `${a}/unlinked-${i}`);
      await stores.linkSync.markLiveChanged([...unlinked, `${a}/other`, `${a}/doc`], 'flags-flagger');
      expect(await stores.linkSync.crossInstanceFlags('flags-holder')).toEqual([
        { id: link.id, liveChangedAt: now, sessionsAt: null, liveClientsAt: null },
      ]);
      expect(await stores.linkSync.crossInstanceFlags('flags-flagger')).toEqual([]);
    });

    it('appends audit entries in order, lists them newest first per tenant, and never changes them', async () => {
      for (let i = 0; i < 5; i++) {
        now += 1;
        await stores.audit.append({
          tenant: a,
          actor: 'admin-1',
          action: 'link.create',
          target: `l${i}`,
          details: { i },
        });
      }
      await stores.audit.append({ tenant: b, actor: 'admin-2', action: 'credential.create' });
      const page1 = await stores.audit.list(a, { limit: 3 });
      const page2 = await stores.audit.list(a, { limit: 3, before: page1.next });
      const entries = [...page1.items, ...page2.items];
      expect(entries.map((e) => e.target)).toEqual(['l4', 'l3', 'l2', 'l1', 'l0']);
      expect(entries.map((e) => e.details)).toEqual([{ i: 4 }, { i: 3 }, { i: 2 }, { i: 1 }, { i: 0 }]);
      expect(entries[0]).toMatchObject({ tenant: a, actor: 'admin-1', action: 'link.create', at: now });
      expect(page2.next).toBeNull();
      expect((await stores.audit.list(b)).items.map((e) => e.action)).toEqual(['credential.create']);
      const methods = Object.getOwnPropertyNames(AuditRepo.prototype).filter((m) => m !== 'constructor');
      expect(methods.sort()).toEqual(['append', 'list']);
      await expect(
        storage.sql.execute('UPDATE audit_log SET actor = $1 WHERE tenant = $2', ['forged', a]),
      ).rejects.toThrow();
      await expect(storage.sql.execute('DELETE FROM audit_log WHERE tenant = $1', [a])).rejects.toThrow();
      expect((await stores.audit.list(a)).items).toHaveLength(5);
    });

    it('saves named and automatic versions per tenant and returns their state', async () => {
      const doc = `${a}/doc`;
      const auto = await stores.versions.save(a, { doc, state: new Uint8Array([1]) });
      now += 1;
      const named = await stores.versions.save(a, {
        doc,
        name: 'Before import',
        state: new Uint8Array([2, 2]),
        createdBy: 'u1',
      });
      expect(named).toMatchObject({ doc, name: 'Before import', createdBy: 'u1', createdAt: now });
      expect((await stores.versions.list(a, doc)).items.map((v) => v.id)).toEqual([named.id, auto.id]);
      expect((await stores.versions.list(a, doc, { namedOnly: true })).items.map((v) => v.id)).toEqual([
        named.id,
      ]);
      const page = await stores.versions.list(a, doc, { limit: 1 });
      expect((await stores.versions.list(a, doc, { before: page.next })).items.map((v) => v.id)).toEqual([
        auto.id,
      ]);
      expect(await stores.versions.get(a, named.id)).toMatchObject({
        name: 'Before import',
        state: new Uint8Array([2, 2]),
      });
      await expect(stores.versions.save(b, { doc, state: new Uint8Array([3]) })).rejects.toMatchObject({
        code: 'DOCUMENT_TENANT_MISMATCH',
      });
      await expect(stores.versions.get(b, named.id)).rejects.toMatchObject({ code: 'VERSION_NOT_FOUND' });
      expect((await stores.versions.list(b, doc)).items).toEqual([]);
      expect(await stores.versions.countNamed(a, doc)).toBe(1);
      expect(await stores.versions.countNamed(b, doc)).toBe(0);
    });

    it('stores revocations per tenant and user; a later one moves the time forward', async () => {
      expect(await stores.revocations.revokedAt(a, 'u1')).toBeNull();
      expect(await stores.revocations.revoke(a, 'u1', 'admin')).toBe(now);
      expect(await stores.revocations.revokedAt(a, 'u1')).toBe(now);
      expect(await stores.revocations.revokedAt(b, 'u1')).toBeNull();
      expect(await stores.revocations.revokedAt(a, 'u2')).toBeNull();
      now += 60_000;
      await stores.revocations.revoke(a, 'u1', 'admin');
      expect(await stores.revocations.revokedAt(a, 'u1')).toBe(now);
      await expect(stores.revocations.revoke(a, '', 'admin')).rejects.toMatchObject({
        code: 'INVALID_INPUT',
      });
    });

    it('keeps the original package of a document as its base, carried by versions, per tenant', async () => {
      const doc = `${a}/imported`;
      await stores.documents.create(a, { name: doc });
      expect(await stores.documents.base(a, doc)).toBeNull();
      const before = await stores.versions.save(a, { doc, state: new Uint8Array([1]) });
      expect(before.baseId).toBeNull();
      const first = await stores.documents.saveBase(a, doc, {
        format: 'docx',
        bytes: new Uint8Array([7, 8]),
      });
      const withFirst = await stores.versions.save(a, { doc, state: new Uint8Array([2]) });
      expect(withFirst.baseId).toBe(first);
      const second = await stores.documents.saveBase(a, doc, { format: 'odt', bytes: new Uint8Array([9]) });
      expect(await stores.documents.base(a, doc)).toEqual({
        id: second,
        format: 'odt',
        bytes: new Uint8Array([9]),
      });
      expect((await stores.versions.get(a, withFirst.id)).baseId).toBe(first);
      await stores.documents.useBase(a, doc, first);
      expect(await stores.documents.base(a, doc)).toEqual({
        id: first,
        format: 'docx',
        bytes: new Uint8Array([7, 8]),
      });
      // Another tenant sees no base and cannot point its documents at this one's.
      expect(await stores.documents.base(b, doc)).toBeNull();
      const theirs = `${b}/imported`;
      await stores.documents.create(b, { name: theirs });
      await stores.documents.useBase(b, theirs, first);
      expect(await stores.documents.base(b, theirs)).toBeNull();
      await expect(
        stores.documents.saveBase(b, doc, { format: 'docx', bytes: new Uint8Array([1]) }),
      ).rejects.toMatchObject({ code: 'DOCUMENT_TENANT_MISMATCH' });
    });
  });
}
