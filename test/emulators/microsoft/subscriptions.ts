import { randomUUID } from 'node:crypto';
import { request } from 'node:https';
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { GraphFaults } from './faults.ts';
import { graphError } from './graphErrors.ts';
import type { AccessToken, Drive, GraphState } from './graphState.ts';
import { driveFor, guard } from './guard.ts';

/** driveItem subscriptions live at most 42,300 minutes (reference D). */
export const MAX_SUBSCRIPTION_MINUTES = 42_300;
const VALIDATION_TIMEOUT_MS = 10_000;

interface Subscription {
  id: string;
  tenantId: string;
  clientId: string;
  driveId: string;
  resource: string;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  clientState: string | null;
  expiresAt: number;
  pending: NodeJS.Timeout | null;
  reauthorizationRequired: boolean;
}

export interface SubscriptionOptions {
  /** Delay between a change and its notification (Graph: about a minute, up to five; tests: shorter). */
  lagMs: number;
  /** CA the emulator trusts for the receiver's HTTPS (tests put a local-CA proxy in front of the server). */
  ca?: string;
}

type Lifecycle = 'reauthorizationRequired' | 'missed' | 'subscriptionRemoved';

/**
 * Change notification subscriptions on a drive root (reference D, G): HTTPS receivers only, the
 * validationToken handshake on creation (200 `text/plain` echoing the token within 10 s, or the creation
 * fails), one "something changed" notification per lag window with no item id, nothing after expiry, and
 * lifecycle notifications (`reauthorizationRequired`, `missed`). Dropped notifications are not resent.
 */
export class Subscriptions {
  private readonly subscriptions = new Map<string, Subscription>();
  /** Notifications still to drop (the control API's "lose the next N"). */
  dropNext = 0;

  constructor(
    private readonly state: GraphState,
    private readonly faults: GraphFaults,
    readonly options: SubscriptionOptions,
  ) {
    state.onChange.push((drive) => this.changed(drive));
  }

  routes(): Hono {
    const app = new Hono();
    app.post('/v1.0/subscriptions', async (c) => {
      const auth = await guard(c, this.state, this.faults, 'subscriptions.create');
      if ('response' in auth) return auth.response;
      return this.create(c, auth.token);
    });
    app.get('/v1.0/subscriptions/:id', async (c) => {
      const found = await this.find(c, 'subscriptions.get');
      return 'response' in found ? found.response : c.json(this.json(found.subscription));
    });
    app.patch('/v1.0/subscriptions/:id', async (c) => {
      const found = await this.find(c, 'subscriptions.update');
      if ('response' in found) return found.response;
      return this.update(c, found.subscription);
    });
    app.post('/v1.0/subscriptions/:id/reauthorize', async (c) => {
      const found = await this.find(c, 'subscriptions.update');
      if ('response' in found) return found.response;
      found.subscription.reauthorizationRequired = false;
      return c.body(null, 204);
    });
    app.delete('/v1.0/subscriptions/:id', async (c) => {
      const found = await this.find(c, 'subscriptions.delete');
      if ('response' in found) return found.response;
      this.remove(found.subscription);
      return c.body(null, 204);
    });
    return app;
  }

  /** Sends a lifecycle notification for every live subscription (control API). */
  lifecycle(event: Lifecycle): number {
    let sent = 0;
    for (const subscription of this.live()) {
      if (event === 'reauthorizationRequired') subscription.reauthorizationRequired = true;
      if (this.sendLifecycle(subscription, event)) sent += 1;
      if (event === 'subscriptionRemoved') this.remove(subscription);
    }
    return sent;
  }

  /**
   * Moves the emulator's clock past every live subscription's expiry (control API): as if the receiver had
   * been away for longer than their lifetime. They stop notifying, and Graph no longer knows them (404).
   */
  expireAll(): number {
    const live = this.live();
    for (const subscription of live) {
      subscription.expiresAt = Date.now();
      if (subscription.pending) clearTimeout(subscription.pending);
      subscription.pending = null;
    }
    return live.length;
  }

  /** Ids and expiry of the live subscriptions (control API, for tests). */
  list(): { id: string; driveId: string; expirationDateTime: string; notificationUrl: string }[] {
    return this.live().map((s) => ({
      id: s.id,
      driveId: s.driveId,
      expirationDateTime: new Date(s.expiresAt).toISOString(),
      notificationUrl: s.notificationUrl,
    }));
  }

  close(): void {
    for (const subscription of this.subscriptions.values())
      if (subscription.pending) clearTimeout(subscription.pending);
    this.subscriptions.clear();
  }

  private async create(c: Context, token: AccessToken): Promise<Response> {
    const body = (await c.req.json().catch(() => null)) as Record<string, unknown> | null;
    if (!body) return graphError(c, 400, 'InvalidRequest', 'The request body is not valid JSON.');
    if (body.changeType !== 'updated') {
      return graphError(
        c,
        400,
        'InvalidRequest',
        "Only changeType 'updated' is supported for driveItem resources.",
      );
    }
    const resource = typeof body.resource === 'string' ? body.resource : '';
    const driveId = /^\/?drives\/([^/]+)\/root$/.exec(resource)?.[1];
    if (!driveId) return graphError(c, 400, 'InvalidRequest', `Resource '${resource}' is not supported.`);
    const drive = driveFor(c, this.state, token, driveId);
    if ('response' in drive) return drive.response;
    const urls = [body.notificationUrl, body.lifecycleNotificationUrl ?? null];
    for (const url of urls) {
      if (url !== null && (typeof url !== 'string' || !url.startsWith('https://'))) {
        return graphError(c, 400, 'ValidationError', 'The notification URL must use https.');
      }
    }
    if (
      body.clientState !== undefined &&
      (typeof body.clientState !== 'string' || body.clientState.length > 128)
    ) {
      return graphError(c, 400, 'InvalidRequest', 'clientState must be a string of at most 128 characters.');
    }
    const expiresAt = expiry(c, body.expirationDateTime);
    if (expiresAt instanceof Response) return expiresAt;
    for (const url of urls) {
      if (url !== null && !(await this.validate(url as string))) return validationFailed(c);
    }
    const subscription: Subscription = {
      id: randomUUID(),
      tenantId: token.tenantId,
      clientId: token.clientId,
      driveId: drive.drive.id,
      resource,
      changeType: 'updated',
      notificationUrl: body.notificationUrl as string,
      lifecycleNotificationUrl: (body.lifecycleNotificationUrl as string | undefined) ?? null,
      clientState: (body.clientState as string | undefined) ?? null,
      expiresAt,
      pending: null,
      reauthorizationRequired: false,
    };
    this.subscriptions.set(subscription.id, subscription);
    return c.json(this.json(subscription), 201);
  }

  /**
   * `PATCH /subscriptions/{id}`: a new `expirationDateTime` (renewal, which also clears a pending
   * reauthorization) and/or a new `notificationUrl` (validated by the same handshake as on creation).
   */
  private async update(c: Context, subscription: Subscription): Promise<Response> {
    const body = (await c.req.json().catch(() => null)) as Record<string, unknown> | null;
    if (!body || typeof body !== 'object' || Array.isArray(body))
      return graphError(c, 400, 'InvalidRequest', 'The request body is not valid JSON.');
    if (body.expirationDateTime === undefined && body.notificationUrl === undefined) {
      return graphError(
        c,
        400,
        'InvalidRequest',
        'Only expirationDateTime and notificationUrl can be updated.',
      );
    }
    const expiresAt =
      body.expirationDateTime === undefined ? subscription.expiresAt : expiry(c, body.expirationDateTime);
    if (expiresAt instanceof Response) return expiresAt;
    const url = body.notificationUrl;
    if (url !== undefined) {
      if (typeof url !== 'string' || !url.startsWith('https://'))
        return graphError(c, 400, 'ValidationError', 'The notification URL must use https.');
      if (!(await this.validate(url))) return validationFailed(c);
      subscription.notificationUrl = url;
    }
    subscription.expiresAt = expiresAt;
    subscription.reauthorizationRequired = false;
    return c.json(this.json(subscription));
  }

  private async find(
    c: Context,
    kind: 'subscriptions.get' | 'subscriptions.update' | 'subscriptions.delete',
  ) {
    const auth = await guard(c, this.state, this.faults, kind);
    if ('response' in auth) return auth;
    const subscription = this.subscriptions.get(c.req.param('id') ?? '');
    if (
      !subscription ||
      subscription.expiresAt <= Date.now() ||
      subscription.clientId !== auth.token.clientId
    ) {
      return { response: graphError(c, 404, 'ResourceNotFound', 'The object was not found.') };
    }
    return { subscription };
  }

  private json(s: Subscription): Record<string, unknown> {
    return {
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#subscriptions/$entity',
      id: s.id,
      resource: s.resource,
      applicationId: s.clientId,
      changeType: s.changeType,
      clientState: s.clientState,
      notificationUrl: s.notificationUrl,
      lifecycleNotificationUrl: s.lifecycleNotificationUrl,
      expirationDateTime: new Date(s.expiresAt).toISOString(),
      creatorId: s.clientId,
      includeResourceData: false,
      latestSupportedTlsVersion: 'v1_2',
      notificationQueryOptions: null,
      notificationUrlAppId: null,
    };
  }

  private live(): Subscription[] {
    const now = Date.now();
    return [...this.subscriptions.values()].filter((s) => s.expiresAt > now);
  }

  private remove(subscription: Subscription): void {
    if (subscription.pending) clearTimeout(subscription.pending);
    this.subscriptions.delete(subscription.id);
  }

  /** A change in `drive`: each live subscription on it gets one notification after the lag. */
  private changed(drive: Drive): void {
    for (const subscription of this.live()) {
      if (subscription.driveId !== drive.id || subscription.pending || subscription.reauthorizationRequired)
        continue;
      subscription.pending = setTimeout(() => {
        subscription.pending = null;
        if (subscription.expiresAt <= Date.now() || !this.subscriptions.has(subscription.id)) return;
        if (this.dropNext > 0) {
          this.dropNext -= 1;
          this.sendLifecycle(subscription, 'missed');
          return;
        }
        this.post(subscription.notificationUrl, {
          value: [
            {
              subscriptionId: subscription.id,
              subscriptionExpirationDateTime: new Date(subscription.expiresAt).toISOString(),
              changeType: 'updated',
              resource: subscription.resource,
              clientState: subscription.clientState,
              tenantId: subscription.tenantId,
            },
          ],
        });
      }, this.options.lagMs);
    }
  }

  private sendLifecycle(subscription: Subscription, event: Lifecycle): boolean {
    if (!subscription.lifecycleNotificationUrl) return false;
    this.post(subscription.lifecycleNotificationUrl, {
      value: [
        {
          subscriptionId: subscription.id,
          subscriptionExpirationDateTime: new Date(subscription.expiresAt).toISOString(),
          tenantId: subscription.tenantId,
          clientState: subscription.clientState,
          lifecycleEvent: event,
        },
      ],
    });
    return true;
  }

  /** The creation handshake: POST `url?validationToken=...`; the answer must be 200 with the token. */
  private async validate(url: string): Promise<boolean> {
    const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
    const target = new URL(url);
    target.searchParams.set('validationToken', token);
    const answer = await this.send(target.href, '', 'text/plain; charset=utf-8');
    return answer?.status === 200 && answer.body === token;
  }

  /** Graph does not retry forever; the emulator drops failed deliveries at once. */
  private post(url: string, body: unknown): void {
    void this.send(url, JSON.stringify(body), 'application/json; charset=utf-8');
  }

  private send(
    url: string,
    body: string,
    contentType: string,
  ): Promise<{ status: number; body: string } | null> {
    return new Promise((resolve) => {
      const req = request(
        url,
        {
          method: 'POST',
          headers: { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) },
          ca: this.options.ca,
          timeout: VALIDATION_TIMEOUT_MS,
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', () => resolve(null));
      req.on('timeout', () => req.destroy());
      req.end(body);
    });
  }
}

/** Graph's answer when the receiver did not echo the validation token. */
function validationFailed(c: Context): Response {
  return graphError(
    c,
    400,
    'ValidationError',
    'Subscription validation request failed. Response must exactly match validationToken query parameter.',
  );
}

/**
 * The requested expiry, or Graph's 400 when it is missing, past, or beyond 42,300 minutes from now (Graph
 * answers that one as an `ExtensionError`, on creation and on renewal alike).
 */
function expiry(c: Context, value: unknown): number | Response {
  const at = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(at)) {
    return graphError(
      c,
      400,
      'InvalidRequest',
      'expirationDateTime is a required property for subscription creation.',
    );
  }
  if (at <= Date.now())
    return graphError(c, 400, 'InvalidRequest', 'Subscription expiration must be in the future.');
  if (at > Date.now() + MAX_SUBSCRIPTION_MINUTES * 60_000) {
    return graphError(
      c,
      400,
      'ExtensionError',
      `Subscription expiration can only be ${MAX_SUBSCRIPTION_MINUTES} minutes in the future.`,
    );
  }
  return at;
}
