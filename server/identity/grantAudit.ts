import type { AuditRepo } from '../admin/auditRepo.ts';
import { parseDocumentName, type Role } from '../auth/claims.ts';
import type { Principal } from './authenticator.ts';

/**
 * Audits each use of a grant that is not the caller's own tenant's: a guest opening a document through a link
 * (in the owning tenant's log), and a user of another tenant opening a shared document (in both tenants'
 * logs, so each department can account for it). A guest's display name is theirs to choose, so it is recorded
 * as given but never trusted as an identity.
 */
export function grantAudit(audit: Pick<AuditRepo, 'append'>) {
  return async (principal: Principal, doc: string, role: Role): Promise<void> => {
    const owner = parseDocumentName(doc)?.tenant;
    if (!owner) return;
    if (principal.guestLinkId) {
      await audit.append({
        tenant: owner,
        actor: principal.sub,
        action: 'guest-link.use',
        target: doc,
        details: { link: principal.guestLinkId, name: principal.name ?? '', role },
      });
      return;
    }
    const details = { user: principal.sub, userTenant: principal.tenant, owner, role };
    for (const tenant of new Set([owner, principal.tenant])) {
      await audit.append({ tenant, actor: principal.sub, action: 'share.use', target: doc, details });
    }
  };
}
