import { AdminStoreError } from './adminStoreError.ts';
import { assertTenant, SqlRepo } from './repoSupport.ts';

/**
 * Revoked users (`revocations`): an admin's "sign this user out everywhere". Stored, not kept in memory, so
 * every instance and every restart refuses the same tokens: those of the user issued at or before the latest
 * revocation. A later revocation moves the time forward; a token issued afterwards is accepted again.
 */
export class RevocationsRepo extends SqlRepo {
  /** Records that `sub` of `tenant` is revoked as of now; returns that time (epoch ms). */
  async revoke(tenant: string, sub: string, revokedBy: string): Promise<number> {
    assertTenant(tenant);
    if (typeof sub !== 'string' || sub === '' || sub.length > 256)
      throw new AdminStoreError('INVALID_INPUT', 'sub must be 1-256 characters');
    const at = this.now();
    await this.db.execute(
      `INSERT INTO revocations (tenant, sub, revoked_at, revoked_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant, sub) DO UPDATE SET revoked_at = excluded.revoked_at, revoked_by = excluded.revoked_by`,
      [tenant, sub, at, revokedBy],
    );
    return at;
  }

  /** The latest revocation of `sub` in `tenant` (epoch ms), or null when the user was never revoked. */
  async revokedAt(tenant: string, sub: string): Promise<number | null> {
    const rows = await this.db.query<{ revoked_at: number }>(
      'SELECT revoked_at FROM revocations WHERE tenant = $1 AND sub = $2',
      [tenant, sub],
    );
    return rows[0]?.revoked_at ?? null;
  }
}
