import { docs as googleDocs } from '@googleapis/docs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessTokens } from '../../../connectors/google/accessTokens.ts';
import { createServiceAccount } from '../../helpers/googleCredentials.ts';
import { type GoogleEmulator, startGoogleEmulator } from './server.ts';
import { DOCS_PER_USER_PER_MINUTE, UserQuota } from './userQuota.ts';

describe("the emulator's per-user Docs API quotas", () => {
  it('admits 300 reads and 60 writes per user in any minute, per user, and frees them as the minute slides', () => {
    const quota = new UserQuota();
    const t0 = 1_000_000;
    for (let i = 0; i < DOCS_PER_USER_PER_MINUTE.read; i++)
      expect(quota.admit('a@x', 'documents.get', t0 + i)).toBeNull();
    expect(quota.admit('a@x', 'documents.get', t0 + 1_000)).toBe('read');
    // Another user, and another class, have budgets of their own; Drive calls are not Docs quota.
    expect(quota.admit('b@x', 'documents.get', t0 + 1_000)).toBeNull();
    for (let i = 0; i < DOCS_PER_USER_PER_MINUTE.write; i++)
      expect(quota.admit('a@x', 'documents.batchUpdate', t0 + i)).toBeNull();
    expect(quota.admit('a@x', 'documents.create', t0 + 1_000)).toBe('write');
    expect(quota.admit('a@x', 'files.get', t0 + 1_000)).toBeNull();
    // A refused call does not count: one minute after the first call, one read is free again.
    expect(quota.admit('a@x', 'documents.get', t0 + 60_000)).toBeNull();
    expect(quota.admit('a@x', 'documents.get', t0 + 60_000)).toBe('read');
    expect(quota.refused).toEqual({ read: 2, write: 1 });
  });

  describe('over HTTP, through the real Docs client', () => {
    let emulator: GoogleEmulator;
    let token: string;
    const SA = 'quota@docbridge-test.iam.gserviceaccount.com';
    beforeAll(async () => {
      emulator = await startGoogleEmulator();
      const key = await createServiceAccount(emulator, SA);
      token = await new AccessTokens({ kind: 'serviceAccount', key }, emulator.tokenUrl).get();
    });
    afterAll(() => emulator.close());

    it("answers the 301st read of a minute with 429 RESOURCE_EXHAUSTED and Google's message", async () => {
      const created = await fetch(`${emulator.url}/control/documents`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ title: 'Quota', owner: SA }),
      });
      const { documentId } = (await created.json()) as { documentId: string };
      const docs = googleDocs({ version: 'v1', rootUrl: `${emulator.url}/`, retry: false });
      const headers = { Authorization: `Bearer ${token}` };
      for (let i = 0; i < DOCS_PER_USER_PER_MINUTE.read; i++)
        await docs.documents.get({ documentId }, { headers });
      const refused = await docs.documents.get({ documentId }, { headers }).catch((error: unknown) => error);
      const response = (refused as { response?: { status: number; data: unknown } }).response;
      expect(response?.status).toBe(429);
      expect(response?.data).toMatchObject({
        error: {
          code: 429,
          status: 'RESOURCE_EXHAUSTED',
          message: expect.stringContaining('per minute per user'),
        },
      });
      const stats = (await (await fetch(`${emulator.url}/control/stats`)).json()) as {
        quotaRefused: { read: number };
      };
      expect(stats.quotaRefused.read).toBe(1);
    });
  });
});
