import type { Node as PMNode } from '@tiptap/pm/model';
import { validateDoc } from '../model/schema.ts';
import type { ChangeFeed } from '../sync/changeFeed.ts';
import type { Connector, PushResult, RemoteSnapshot, RemoteTarget } from '../sync/connector.ts';
import { RemoteError } from '../sync/remoteErrors.ts';
import type { MicrosoftAppCredential } from './credentials.ts';
import { DeltaFeed } from './deltaFeed.ts';
import { readDocx, writeDocx } from './docx/index.ts';
import { DIRECT_TIMEOUT_MS, GraphApi, type GraphQuota } from './graphApi.ts';
import { responseFailure, toRemoteError } from './graphErrors.ts';
import { canonicalRemoteId, itemAddress } from './itemAddress.ts';
import { uploadInSession } from './uploadSession.ts';

const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
/** Simple uploads up to 4 MB (reference D); larger packages go through an upload session. */
export const SIMPLE_UPLOAD_MAX = 4_000_000;
/** Word files beyond this are not linked (a guard on memory, far above real documents). */
const MAX_FILE_BYTES = 200 * 1024 * 1024;

/** The Microsoft connector's base: the .docx package as Graph served it. */
export type MicrosoftBase = Uint8Array;

interface ItemMeta {
  id: string;
  eTag: string;
  cTag: string;
  size: number;
  lastModifiedDateTime?: string;
  parentReference?: { driveId?: string };
}

/** When Graph says the item was last modified (its own clock), or null when it does not say. */
function savedAt(meta: ItemMeta): number | null {
  const at = meta.lastModifiedDateTime ? Date.parse(meta.lastModifiedDateTime) : Number.NaN;
  return Number.isNaN(at) ? null : at;
}

/**
 * Word files in OneDrive and SharePoint behind the engine's Connector interface (file mode, DESIGN section 3).
 * Pull: the driveItem's eTag/cTag, then its content through the download redirect (the pre-authenticated
 * address is fetched without the token); a metadata-only change (new eTag, same cTag) reuses the package
 * already read. Push: the stored package patched block by block by the docx writer (unchanged paragraphs
 * keep their XML byte for byte, every other part untouched), uploaded with `If-Match: <eTag>`: a simple PUT up
 * to 4 MB, a resumable upload session above. Graph's 412/423/429/503 become the engine's conflict, locked,
 * throttled and unavailable errors.
 */
export class MicrosoftConnector implements Connector<MicrosoftBase> {
  readonly provider = 'microsoft';
  private readonly api: GraphApi;
  /** The last package read per item, while something (a link's base) still holds it. */
  private readonly lastRead = new Map<
    string,
    { cTag: string; snapshot: WeakRef<RemoteSnapshot<MicrosoftBase>> }
  >();
  private feed: DeltaFeed | null = null;
  /** Drives this credential has read linked files from: the ones its change feed follows. */
  private readonly drives = new Set<string>();

  constructor(app: MicrosoftAppCredential, quota: GraphQuota) {
    this.api = new GraphApi(app, quota);
  }

  /** Proves the credential works: a fresh token from its authority. */
  verify(): Promise<void> {
    return this.api.verify();
  }

  /** The canonical `drives/{d}/items/{i}` id for a share id (sharing link or browser address). */
  async resolve(remoteId: string): Promise<string> {
    if (itemAddress(remoteId)) return remoteId;
    if (!remoteId.startsWith('shares/u!'))
      throw new RemoteError('REMOTE_REJECTED', 'not a Microsoft file address');
    const item = await this.api.call(
      'shares.driveItem',
      'read',
      (client) =>
        client.api(`/${remoteId}/driveItem`).select('id,parentReference').get() as Promise<ItemMeta>,
    );
    const driveId = item.parentReference?.driveId;
    if (!driveId) throw new RemoteError('REMOTE_REJECTED', 'the shared item names no drive');
    return canonicalRemoteId(driveId, item.id);
  }

  /** The credential's change feed: one delta feed per drive it has read files from. */
  openChangeFeed(): ChangeFeed {
    if (!this.feed) {
      this.feed = new DeltaFeed(this.api);
      for (const driveId of this.drives) this.feed.follow(driveId);
    }
    return this.feed;
  }

  async fetch(target: RemoteTarget): Promise<RemoteSnapshot<MicrosoftBase>> {
    const address = itemAddress(await this.resolve(target.remoteId));
    if (!address) throw new RemoteError('REMOTE_REJECTED', 'not a drive item');
    const path = `/drives/${address.driveId}/items/${address.itemId}`;
    this.drives.add(address.driveId);
    this.feed?.follow(address.driveId);
    const meta = await this.api.call(
      'driveItem.get',
      'read',
      (client) =>
        client
          .api(path)
          .select('id,eTag,cTag,size,lastModifiedDateTime,parentReference')
          .get() as Promise<ItemMeta>,
    );
    if (meta.size > MAX_FILE_BYTES)
      throw new RemoteError('REMOTE_REJECTED', `the file is larger than ${MAX_FILE_BYTES} bytes`);
    const cached = this.lastRead.get(path);
    const previous = cached?.cTag === meta.cTag ? cached.snapshot.deref() : undefined;
    if (previous) {
      // A metadata-only change (rename, properties): same content, new eTag; kept as the cached read, with
      // the time its content was saved (a rename is not a newer save of the content).
      const renamed = { ...previous, rev: meta.eTag };
      this.lastRead.set(path, { cTag: meta.cTag, snapshot: new WeakRef(renamed) });
      return renamed;
    }
    const raw = await this.download(path);
    let read: ReturnType<typeof readDocx>;
    try {
      read = readDocx(raw);
    } catch (error) {
      throw new RemoteError(
        'REMOTE_REJECTED',
        `the file is not a Word document we can read: ${(error as Error).message}`,
      );
    }
    // readDocx hands back canonical JSON; the engine works with the node (valid by construction, checked once).
    const snapshot: RemoteSnapshot<MicrosoftBase> = {
      rev: meta.eTag,
      doc: validateDoc(read.doc),
      base: raw,
      warnings: read.warnings,
      modifiedAt: savedAt(meta),
    };
    this.lastRead.set(path, { cTag: meta.cTag, snapshot: new WeakRef(snapshot) });
    return snapshot;
  }

  /** The stored remote snapshot is the package itself. */
  encodeBase(base: MicrosoftBase): Uint8Array {
    return base;
  }

  async push(target: RemoteTarget, base: RemoteSnapshot<MicrosoftBase>, next: PMNode): Promise<PushResult> {
    const address = itemAddress(await this.resolve(target.remoteId));
    if (!address) throw new RemoteError('REMOTE_REJECTED', 'not a drive item');
    const path = `/drives/${address.driveId}/items/${address.itemId}`;
    const { source } = readDocx(base.base);
    const { bytes } = writeDocx(next.toJSON(), { base: source });
    if (bytes.byteLength <= SIMPLE_UPLOAD_MAX) {
      const item = await this.api.call(
        'driveItem.upload',
        'write',
        (client) =>
          client
            .api(`${path}/content`)
            .header('If-Match', base.rev)
            .header('Content-Type', DOCX_MIME)
            .put(Buffer.from(bytes)) as Promise<ItemMeta>,
      );
      return { rev: item.eTag ?? null, requests: 1 };
    }
    const session = await this.api.call(
      'createUploadSession',
      'write',
      (client) =>
        client
          .api(`${path}/createUploadSession`)
          .header('If-Match', base.rev)
          .post({ item: { '@microsoft.graph.conflictBehavior': 'replace' } }) as Promise<{
          uploadUrl: string;
        }>,
    );
    await this.api.quota.writes.acquire();
    const outcome = await uploadInSession(session.uploadUrl, bytes);
    return { rev: outcome.item.eTag ?? null, requests: 1 + outcome.requests };
  }

  /** `GET .../content`: Graph answers 302; the pre-authenticated address is fetched without the token. */
  private async download(path: string): Promise<Uint8Array> {
    const redirect = await this.api.raw('driveItem.content', `${path}/content`);
    const location = redirect.headers.get('location');
    if (redirect.status !== 302 || !location || !location.startsWith('https://')) {
      throw new RemoteError(
        'REMOTE_REJECTED',
        `driveItem.content answered ${redirect.status} without a download address`,
      );
    }
    await this.api.quota.reads.acquire();
    const response = await fetch(location, { signal: AbortSignal.timeout(DIRECT_TIMEOUT_MS) }).catch(
      (error: unknown) => {
        throw new RemoteError('REMOTE_UNAVAILABLE', 'download: no answer', null, { cause: error });
      },
    );
    if (!response.ok) throw toRemoteError(await responseFailure(response), 'download');
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.byteLength > MAX_FILE_BYTES)
      throw new RemoteError('REMOTE_REJECTED', 'the download is larger than announced');
    return bytes;
  }
}
