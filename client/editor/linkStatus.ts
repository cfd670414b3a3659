import type { LinkStatus } from '../shared/documentApi.ts';

/** How a link's state reads to people: good news, work in progress, or something to act on. */
export type LinkTone = 'synced' | 'syncing' | 'retrying' | 'attention' | 'paused';

/** One link as the status line shows it. */
export interface LinkLine {
  provider: string;
  /** The remote suite's name (`Google Docs`, `Word`). */
  suite: string;
  tone: LinkTone;
  /** The full sentence, e.g. `Google Docs: synced 2 s ago`. */
  label: string;
  /** The same without the relative time, so screen readers are told about changes, not clock ticks. */
  announcement: string;
  remoteUrl: string | null;
}

/** `2 s ago`, `3 min ago`, `5 h ago`, or a date: coarse on purpose, people read it at a glance. */
export function relativeTime(at: number, now: number): string {
  const seconds = Math.max(0, Math.round((now - at) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return `on ${new Date(at).toLocaleDateString()}`;
}

/**
 * What the editor says about one link: `synced` (with how long ago), `syncing…` while linking or moving
 * changes, `retrying…` after a failure the engine retries by itself, `needs attention — <reason>` when the
 * link is quarantined and an administrator must act, `paused` when an administrator stopped it.
 */
export function describeLink(link: LinkStatus, now: number): LinkLine {
  const suite = link.label ?? link.provider;
  const base = { provider: link.provider, suite, remoteUrl: link.remoteUrl };
  switch (link.status) {
    case 'synced': {
      const when = link.lastSyncedAt === null ? '' : ` ${relativeTime(link.lastSyncedAt, now)}`;
      return { ...base, tone: 'synced', label: `${suite}: synced${when}`, announcement: `${suite}: synced` };
    }
    case 'error':
      return { ...base, tone: 'retrying', label: `${suite}: retrying…`, announcement: `${suite}: retrying` };
    case 'quarantined': {
      const reason = link.statusDetail ?? link.lastError ?? 'the link stopped';
      const label = `${suite}: needs attention — ${reason}`;
      return { ...base, tone: 'attention', label, announcement: label };
    }
    case 'paused':
      return { ...base, tone: 'paused', label: `${suite}: paused`, announcement: `${suite}: paused` };
    default:
      return { ...base, tone: 'syncing', label: `${suite}: syncing…`, announcement: `${suite}: syncing` };
  }
}
