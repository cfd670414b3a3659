import type { SqlExecutor } from '../storage/sql.ts';
import { AuditRepo } from './auditRepo.ts';
import { CredentialsRepo } from './credentialsRepo.ts';
import { DocumentsRepo } from './documentsRepo.ts';
import { LinkSyncStore } from './linkSyncStore.ts';
import { LinksRepo } from './linksRepo.ts';
import type { Clock } from './repoSupport.ts';
import { RevocationsRepo } from './revocationsRepo.ts';
import type { SecretBox } from './secretBox.ts';
import { VersionsRepo } from './versionsRepo.ts';

/** Every repository of the admin data layer, on one executor (the database, or one transaction). */
export interface AdminStores {
  documents: DocumentsRepo;
  credentials: CredentialsRepo;
  links: LinksRepo;
  linkSync: LinkSyncStore;
  audit: AuditRepo;
  versions: VersionsRepo;
  revocations: RevocationsRepo;
}

/**
 * Builds the repositories on `db`: pass `storage.sql` for standalone calls, or the `tx` of
 * `storage.sql.transaction(async (tx) => ...)` to make several repositories' writes (say, a link deletion
 * and its audit entry) one transaction.
 */
export function createAdminStores(db: SqlExecutor, box: SecretBox, now: Clock = Date.now): AdminStores {
  return {
    documents: new DocumentsRepo(db, now),
    credentials: new CredentialsRepo(db, box, now),
    links: new LinksRepo(db, now),
    linkSync: new LinkSyncStore(db, now),
    audit: new AuditRepo(db, now),
    versions: new VersionsRepo(db, now),
    revocations: new RevocationsRepo(db, now),
  };
}
