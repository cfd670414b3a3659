import { randomBytes, randomUUID } from 'node:crypto';
import { type drive_v3, drive as googleDrive } from '@googleapis/drive';
import type { ChangeFeed } from '../sync/changeFeed.ts';
import type { RateLimiter } from '../sync/rateLimiter.ts';
import type { AccessTokens } from './accessTokens.ts';
import { toRemoteError } from './googleErrors.ts';

/** Watch channels on the changes feed may last up to a week (reference B, unconfirmed); ask for a day. */
const WATCH_TTL_MS = 24 * 3600 * 1000;

/**
 * The Drive change feed of one Google credential (reference B): `changes.getStartPageToken` once, then
 * `changes.list` from the saved page token, following `nextPageToken` to the end. Only Google Docs are
 * reported. With a public HTTPS address, `changes.watch` opens a channel whose notifications (batched minutes
 * apart by Drive) make the server poll at once; each channel carries a random token that the webhook checks.
 */
export class DriveChangeFeed implements ChangeFeed {
  private readonly drive: drive_v3.Drive;
  private pageToken: string | null = null;

  constructor(
    driveRoot: string,
    private readonly tokens: AccessTokens,
    private readonly reads: RateLimiter,
  ) {
    this.drive = googleDrive({
      version: 'v3',
      rootUrl: driveRoot.endsWith('/') ? driveRoot : `${driveRoot}/`,
      retry: false,
      timeout: 30_000,
    });
  }

  async poll(): Promise<string[]> {
    if (this.pageToken === null) {
      this.pageToken = await this.startPageToken();
      return [];
    }
    const changed = new Set<string>();
    for (let token: string | null = this.pageToken; token; ) {
      const page: drive_v3.Schema$ChangeList = await this.call('changes.list', (headers) =>
        this.drive.changes.list(
          {
            pageToken: token!,
            pageSize: 1000,
            fields: 'nextPageToken,newStartPageToken,changes(fileId,removed,file(mimeType))',
          },
          { headers },
        ),
      );
      for (const change of page.changes ?? []) {
        if (
          change.fileId &&
          (change.removed || change.file?.mimeType === 'application/vnd.google-apps.document')
        ) {
          changed.add(change.fileId);
        }
      }
      if (page.newStartPageToken) this.pageToken = page.newStartPageToken;
      token = page.nextPageToken ?? null;
    }
    return [...changed];
  }

  async watch(address: string, lifetimeMs = WATCH_TTL_MS) {
    const ttl = Math.min(lifetimeMs, WATCH_TTL_MS);
    if (this.pageToken === null) this.pageToken = await this.startPageToken();
    const channelId = randomUUID();
    const token = randomBytes(24).toString('base64url');
    const channel = await this.call('changes.watch', (headers) =>
      this.drive.changes.watch(
        {
          pageToken: this.pageToken!,
          requestBody: {
            id: channelId,
            type: 'web_hook',
            address,
            token,
            expiration: String(Date.now() + ttl),
          },
        },
        { headers },
      ),
    );
    return {
      channelId,
      token,
      resourceId: channel.resourceId ?? '',
      expiresAt: Number(channel.expiration ?? Date.now() + ttl),
    };
  }

  async stopWatch(channelId: string, resourceId: string): Promise<void> {
    await this.call('channels.stop', (headers) =>
      this.drive.channels.stop({ requestBody: { id: channelId, resourceId } }, { headers }),
    );
  }

  private async startPageToken(): Promise<string> {
    const answer = await this.call('changes.getStartPageToken', (headers) =>
      this.drive.changes.getStartPageToken({}, { headers }),
    );
    if (!answer.startPageToken)
      throw toRemoteError(new Error('no startPageToken'), 'changes.getStartPageToken');
    return answer.startPageToken;
  }

  private async call<T>(
    what: string,
    send: (headers: Record<string, string>) => Promise<{ data: T }>,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      await this.reads.acquire();
      try {
        return (await send({ Authorization: `Bearer ${await this.tokens.get()}` })).data;
      } catch (error) {
        if ((error as { response?: { status?: number } }).response?.status === 401 && attempt === 0) {
          this.tokens.invalidate();
          continue;
        }
        throw toRemoteError(error, what);
      }
    }
  }
}
