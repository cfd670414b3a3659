import { randomBytes } from 'node:crypto';
import { request } from 'node:https';
import type { EmulatorState } from './emulatorState.ts';

const WEEK_MS = 7 * 24 * 3600 * 1000;

interface Channel {
  id: string;
  resourceId: string;
  address: string;
  token: string | undefined;
  expiration: number;
  principal: string;
  messageNumber: number;
  pending: boolean;
}

export interface WatchOptions {
  /** Drive batches change notifications minutes apart; tests shorten this. */
  batchMs: number;
  /** CA certificate(s) the emulator trusts when delivering to HTTPS webhook addresses (tests use a local CA). */
  ca?: string;
}

/**
 * `changes.watch` channels. As Drive does: HTTPS addresses only, a `sync` message when a channel opens, then
 * `change` messages batched `batchMs` apart, never after the channel expires or is stopped.
 */
export class WatchChannels {
  private readonly channels = new Map<string, Channel>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly state: EmulatorState,
    private readonly options: WatchOptions,
  ) {}

  open(
    body: Record<string, unknown> | null,
    pageToken: string | undefined,
    principal: string,
  ): { ok: false; error: string } | { ok: true; channel: Record<string, unknown> } {
    if (!pageToken) return { ok: false, error: 'Required parameter: pageToken' };
    if (!body || typeof body.id !== 'string' || !body.id) return { ok: false, error: 'Required: id' };
    if (body.type !== 'web_hook')
      return { ok: false, error: 'Invalid value for type: only web_hook is supported.' };
    if (typeof body.address !== 'string' || !body.address.startsWith('https://')) {
      return { ok: false, error: 'WebHook callback must be HTTPS.' };
    }
    const requested = Number(body.expiration ?? 0);
    const expiration = Math.min(requested > 0 ? requested : Date.now() + 3600_000, Date.now() + WEEK_MS);
    const channel: Channel = {
      id: body.id,
      resourceId: randomBytes(12).toString('base64url'),
      address: body.address,
      token: typeof body.token === 'string' ? body.token : undefined,
      expiration,
      principal,
      messageNumber: 1,
      pending: false,
    };
    this.channels.set(channel.id, channel);
    this.deliver(channel, 'sync');
    this.timer ??= setInterval(() => this.flush(), this.options.batchMs);
    const resourceUri = 'https://www.googleapis.com/drive/v3/changes?alt=json';
    return {
      ok: true,
      channel: {
        kind: 'api#channel',
        id: channel.id,
        resourceId: channel.resourceId,
        resourceUri,
        expiration: String(expiration),
      },
    };
  }

  stop(id: string, resourceId: string): boolean {
    const channel = this.channels.get(id);
    if (!channel || channel.resourceId !== resourceId) return false;
    this.channels.delete(id);
    return true;
  }

  /** Called on every change: marks channels whose principal can see the file for the next batch. */
  changed(fileId: string): void {
    const file = this.state.files.get(fileId);
    for (const channel of this.channels.values()) {
      if (file?.editors.has(channel.principal)) channel.pending = true;
    }
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.channels.clear();
  }

  private flush(): void {
    const now = Date.now();
    for (const channel of this.channels.values()) {
      if (channel.expiration <= now) {
        this.channels.delete(channel.id);
        continue;
      }
      if (!channel.pending) continue;
      channel.pending = false;
      this.deliver(channel, 'change');
    }
  }

  private deliver(channel: Channel, state: 'sync' | 'change'): void {
    const headers: Record<string, string> = {
      'X-Goog-Channel-ID': channel.id,
      'X-Goog-Channel-Expiration': new Date(channel.expiration).toUTCString(),
      'X-Goog-Resource-ID': channel.resourceId,
      'X-Goog-Resource-URI': 'https://www.googleapis.com/drive/v3/changes?alt=json',
      'X-Goog-Resource-State': state,
      'X-Goog-Message-Number': String(channel.messageNumber++),
      'Content-Length': '0',
    };
    if (channel.token) headers['X-Goog-Channel-Token'] = channel.token;
    const req = request(
      channel.address,
      { method: 'POST', headers, ca: this.options.ca, timeout: 5000 },
      (res) => res.resume(),
    );
    // Drive retries failed deliveries with back-off; the emulator simply drops them.
    req.on('error', () => {});
    req.on('timeout', () => req.destroy());
    req.end();
  }
}
