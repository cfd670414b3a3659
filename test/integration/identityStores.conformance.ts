import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthenticator } from '../../server/identity/authenticator.ts';
import { GuestLinksRepo } from '../../server/identity/guestLinksRepo.ts';
import { socketKeyOf } from '../../server/identity/secrets.ts';
import { SessionsRepo } from '../../server/identity/sessionsRepo.ts';
import { SharesRepo } from '../../server/identity/sharesRepo.ts';
import type { Storage } from '../../server/storage/storage.ts';
import type { SqlFixture } from './storageSql.conformance.ts';

const unique = (): string => `t${randomUUID().slice(0, 8)}`;

/**
 * The acceptance suite of sessions, shares and guest links (server/identity/), on every back end: secrets
 * only ever stored hashed, revocation and expiry effective at the next lookup, shares reaching a tenant or a
 * person, and the authenticator built on them. Time is a test clock.
 */
export function describeIdentityStoresConformance(
  name: string,
  makeFixture: () => Promise<SqlFixture>,
): void {
  describe(`identity stores conformance: ${name}`, () => {
    let fixture: SqlFixture;
    let storage: Storage;
    let now = 1_700_000_000_000;
    const clock = () => now;
    let sessions: SessionsRepo;
    let shares: SharesRepo;
    let guestLinks: GuestLinksRepo;
    const refuse = async () => {
      throw new Error('no tokens in this suite');
    };

    beforeAll(async () => {
      fixture = await makeFixture();
      storage = await fixture.open();
      sessions = new SessionsRepo(storage.sql, clock);
      shares = new SharesRepo(storage.sql, clock);
      guestLinks = new GuestLinksRepo(storage.sql, clock);
    });
    afterAll(() => fixture.dispose());

    const open = (tenant: string, email: string | null, ttlMs = 60_000) =>
      sessions.open({
        tenant,
        userId: `idp:${email ?? 'anon'}`,
        userName: 'Someone',
        email,
        admin: false,
        via: 'oidc:idp',
        guestLinkId: null,
        docs: { [`${tenant}/*`]: 'edit' },
        userAgent: 'test',
        ttlMs,
      });

    it('stores sessions hashed, finds them by cookie or socket key, and ends them on revocation or expiry', async () => {
      const tenant = unique();
      const { session, cookie, socketKey } = await open(tenant, 'ann@example.org');
      expect(socketKey).toBe(socketKeyOf(cookie));
      expect(await fixture.rawContains(cookie)).toBe(false);
      expect(await fixture.rawContains(socketKey)).toBe(false);
      expect((await sessions.byCookie(cookie))?.id).toBe(session.id);
      expect((await sessions.bySocketKey(socketKey))?.id).toBe(session.id);
      expect(await sessions.byCookie(socketKey)).toBeNull();
      expect((await sessions.list(tenant)).map((s) => s.id)).toEqual([session.id]);
      expect(await sessions.list(unique())).toEqual([]);

      expect(await sessions.revoke(unique(), session.id)).toBe(false);
      expect(await sessions.revoke(tenant, session.id)).toBe(true);
      expect(await sessions.byCookie(cookie)).toBeNull();
      expect(await sessions.bySocketKey(socketKey)).toBeNull();

      const short = await open(tenant, null, 1000);
      expect(await sessions.byCookie(short.cookie)).not.toBeNull();
      now += 1000;
      expect(await sessions.byCookie(short.cookie)).toBeNull();
      // A week after it ended, the next sign-in deletes the row.
      const rows = () => storage.sql.query('SELECT id FROM sessions WHERE id = $1', [short.session.id]);
      expect(await rows()).toHaveLength(1);
      now += 7 * 24 * 3600_000 + 1;
      await open(tenant, null);
      expect(await rows()).toHaveLength(0);
    });

    it('shares reach the whole grantee tenant or one person, one share per grantee', async () => {
      const owner = unique();
      const other = unique();
      const doc = `${owner}/plan`;
      const first = await shares.grant(owner, doc, { tenant: other }, 'read', 'u1');
      const again = await shares.grant(owner, doc, { tenant: other }, 'edit', 'u1');
      expect(again.id).toBe(first.id);
      expect(again.role).toBe('edit');
      const person = await shares.grant(owner, doc, { user: 'Bob@Example.org' }, 'comment', 'u1');
      expect(person.with).toEqual({ user: 'bob@example.org' });

      expect((await shares.listReaching(other, null)).map((s) => s.id)).toEqual([first.id]);
      expect((await shares.listReaching(unique(), 'bob@example.org')).map((s) => s.id)).toEqual([person.id]);
      expect(await shares.listReaching(unique(), 'eve@example.org')).toEqual([]);
      expect((await shares.listByDoc(owner, doc)).length).toBe(2);
      await expect(shares.grant(other, doc, { tenant: owner }, 'edit', 'u2')).rejects.toMatchObject({
        code: 'DOCUMENT_TENANT_MISMATCH',
      });
      await expect(shares.withdraw(other, doc, first.id)).rejects.toMatchObject({
        code: 'DOCUMENT_TENANT_MISMATCH',
      });
      await shares.withdraw(owner, doc, first.id);
      await expect(shares.withdraw(owner, doc, first.id)).rejects.toMatchObject({ code: 'SHARE_NOT_FOUND' });
      expect(await shares.listReaching(other, null)).toEqual([]);
    });

    it('guest links are stored hashed and refused once revoked or expired', async () => {
      const tenant = unique();
      const doc = `${tenant}/review`;
      const { link, token } = await guestLinks.create(tenant, doc, {
        role: 'comment',
        expiresInHours: 1,
        createdBy: 'u1',
      });
      expect(await fixture.rawContains(token)).toBe(false);
      expect((await guestLinks.byToken(token))?.id).toBe(link.id);
      const altered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
      expect(await guestLinks.byToken(altered)).toBeNull();
      await guestLinks.revoke(tenant, doc, link.id);
      expect(await guestLinks.byToken(token)).toBeNull();
      expect(await guestLinks.usable(link.id)).toBeNull();

      const expiring = await guestLinks.create(tenant, doc, {
        role: 'read',
        expiresInHours: 1,
        createdBy: 'u1',
      });
      now += 3_600_000;
      expect(await guestLinks.byToken(expiring.token)).toBeNull();
      expect((await guestLinks.list(tenant, doc)).length).toBe(2);
    });

    it('the authenticator adds shares to a session and ends a guest with its link', async () => {
      const authenticate = createAuthenticator({
        verify: refuse,
        sessions,
        shares,
        guestLinks,
        revokedAt: async () => null,
        providers: ['idp'],
      });
      const owner = unique();
      const other = unique();
      const doc = `${owner}/joint`;
      await shares.grant(owner, doc, { tenant: other }, 'edit', 'u1');
      const { cookie } = await open(other, 'cy@example.org');
      const principal = await authenticate.request(cookie);
      expect(principal.shared).toEqual({ [doc]: 'edit' });
      expect(principal.csrf).toMatch(/.{10,}/);
      // A provider taken out of the configuration takes its sessions with it.
      const withoutIdp = createAuthenticator({
        verify: refuse,
        sessions,
        shares,
        guestLinks,
        revokedAt: async () => null,
        providers: [],
      });
      await expect(withoutIdp.request(cookie)).rejects.toMatchObject({ reason: 'session-ended' });
      // An admin's revocation of the user ends sessions begun before it.
      const revoked = createAuthenticator({
        verify: refuse,
        sessions,
        shares,
        guestLinks,
        revokedAt: async () => now,
        providers: ['idp'],
      });
      await expect(revoked.request(cookie)).rejects.toMatchObject({ reason: 'session-ended' });
      await expect(authenticate.socket(cookie)).rejects.toThrow(/refuse|tokens/);

      const { link } = await guestLinks.create(owner, doc, {
        role: 'read',
        expiresInHours: 1,
        createdBy: 'u1',
      });
      const guest = await sessions.open({
        tenant: owner,
        userId: 'guest',
        userName: 'Gwen',
        email: null,
        admin: false,
        via: 'guest',
        guestLinkId: link.id,
        docs: {},
        userAgent: null,
        ttlMs: 60_000,
      });
      const asGuest = await authenticate.socket(guest.socketKey);
      expect(asGuest).toMatchObject({ name: 'Gwen (guest)', docs: { [doc]: 'read' }, guestLinkId: link.id });
      await guestLinks.revoke(owner, doc, link.id);
      await expect(authenticate.socket(guest.socketKey)).rejects.toMatchObject({ reason: 'session-ended' });
    });
  });
}
