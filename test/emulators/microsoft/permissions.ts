import { createHash } from 'node:crypto';
import type { AccessToken, Drive, DriveItem, GraphState } from './graphState.ts';

/**
 * `GET /drives/{d}/items/{i}/permissions` as Graph v1.0 answers it: one `permission` per user grant, with
 * `roles` (`owner`, `write`, `read`) and the grantee in `grantedToV2` (and the older `grantedTo`). An owner
 * of the item and an app-only caller see every permission; any other caller only those that apply to them.
 */
export function permissionsJson(
  state: GraphState,
  drive: Drive,
  item: DriveItem,
  token: AccessToken,
  graphUrl: string,
): Record<string, unknown> {
  const caller = token.user?.upn;
  const seesAll = !caller || item.permissions.get(caller) === 'owner';
  const value = [...item.permissions]
    .filter(([upn]) => seesAll || upn === caller)
    .map(([upn, role]) => {
      const user = state.users.get(upn);
      const identity = { user: { id: user?.oid ?? '', displayName: user?.displayName ?? upn, email: upn } };
      return {
        id: createHash('sha256').update(`${item.id}:${upn}`).digest('hex').slice(0, 32),
        roles: [role],
        grantedTo: identity,
        grantedToV2: identity,
      };
    });
  return {
    '@odata.context': `${graphUrl}/v1.0/$metadata#drives('${drive.id}')/items('${item.id}')/permissions`,
    value,
  };
}
