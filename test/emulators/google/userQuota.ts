import type { CallKind } from './emulatorState.ts';

/** Google Docs API per-user limits (reference A): requests per minute per user. */
export const DOCS_PER_USER_PER_MINUTE = { read: 300, write: 60 } as const;

type QuotaClass = keyof typeof DOCS_PER_USER_PER_MINUTE;

const classOf: Partial<Record<CallKind, QuotaClass>> = {
  'documents.get': 'read',
  'documents.create': 'write',
  'documents.batchUpdate': 'write',
};

const WINDOW_MS = 60_000;

/** What Google answers with over quota, per class (the message names the quota metric and limit). */
export const quotaMessages: Record<QuotaClass, string> = {
  read: "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute per user' of service 'docs.googleapis.com'.",
  write:
    "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per minute per user' of service 'docs.googleapis.com'.",
};

/**
 * The Docs API's per-user quotas as Google enforces them: each user (service account or impersonated user)
 * may make at most 300 read and 60 write requests in any minute; one more is refused with 429
 * RESOURCE_EXHAUSTED and does not count. A sliding window of call times per user and class. Drive calls
 * have quotas of their own, far higher, which the reference does not give: they are not limited here.
 */
export class UserQuota {
  private readonly calls = new Map<string, number[]>();
  /** Requests refused over quota, per class: what a bench checks is zero. */
  readonly refused: Record<QuotaClass, number> = { read: 0, write: 0 };

  /**
   * Counts one call of `principal`; null when admitted, else the class whose quota it exceeds (Google sends
   * no Retry-After with it: callers back off on their own).
   */
  admit(principal: string, kind: CallKind, now = Date.now()): QuotaClass | null {
    const quotaClass = classOf[kind];
    if (!quotaClass) return null;
    const key = `${quotaClass}\u0000${principal}`;
    const times = this.calls.get(key) ?? [];
    let expired = 0;
    while (expired < times.length && times[expired]! <= now - WINDOW_MS) expired++;
    if (expired > 0) times.splice(0, expired);
    if (times.length >= DOCS_PER_USER_PER_MINUTE[quotaClass]) {
      this.refused[quotaClass] += 1;
      return quotaClass;
    }
    times.push(now);
    this.calls.set(key, times);
    return null;
  }
}
