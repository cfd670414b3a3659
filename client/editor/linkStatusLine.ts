import type { HocuspocusProvider } from '@hocuspocus/provider';
import * as z from 'zod/mini';
import { getLinkStatuses, type LinkStatus, linkStatusSchema } from '../shared/documentApi.ts';
import { h } from '../shared/dom.ts';
import { describeLink, type LinkLine } from './linkStatus.ts';

/** The stateless message the server pushes when a link changes (`server/links/linkStatusBroadcast.ts`). */
const pushedStatuses = z.object({
  type: z.literal('docbridge:link-status'),
  links: z.array(linkStatusSchema),
});

/** The link statuses in a stateless payload, or null when the payload is something else. */
export function parsePushedStatuses(payload: string): LinkStatus[] | null {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return null;
  }
  const parsed = pushedStatuses.safeParse(json);
  return parsed.success ? parsed.data.links : null;
}

export interface LinkStatusLineOptions {
  /** `<tenant>/<id>`. */
  documentName: string;
  /** The element the lines go in (hidden while the document has no link). */
  host: HTMLElement;
  /** A bearer token source for pages without the session cookie (the embed iframe). */
  token?: () => string;
  /**
   * False for pages that cannot read the REST route (the Word add-in holds a socket key only): they rely on
   * the statuses the server sends over the socket when it connects and whenever a link changes.
   */
  rest?: boolean;
  /** The document's connection: the server pushes link changes over it. */
  provider: HocuspocusProvider;
  /** Called with the lines whenever a link's state (not just its clock) changes. */
  onChange?(lines: LinkLine[]): void;
}

/**
 * The per-link sync status under the document title: reads `GET /api/documents/:tenant/:id/links` once (and
 * again whenever the connection is re-established or the page becomes visible, in case a push was missed),
 * then takes the statuses the server pushes over the document's socket as they change (a Hocuspocus
 * stateless message, within a second, and once when the connection is made). Redraws the relative times every second and announces state changes
 * (not clock ticks) through a polite live region. Each line links to the remote file, in a new tab.
 */
export function startLinkStatusLine(options: LinkStatusLineOptions): { stop(): void } {
  const { host } = options;
  const list = h('ul', { class: 'link-status__list' });
  const live = h('p', { class: 'visually-hidden', role: 'status', 'data-link-announcer': true });
  host.replaceChildren(list, live);
  host.hidden = true;
  let links: LinkStatus[] = [];
  let lastAnnounced = '';
  let stopped = false;

  const render = () => {
    const lines = links.map((link) => describeLink(link, Date.now()));
    host.hidden = lines.length === 0;
    list.replaceChildren(...lines.map(lineElement));
    const announcement = lines.map((line) => line.announcement).join('. ');
    if (announcement !== lastAnnounced) {
      lastAnnounced = announcement;
      live.textContent = announcement;
      options.onChange?.(lines);
    }
  };

  const read = async () => {
    if (stopped || options.rest === false || document.visibilityState !== 'visible') return;
    try {
      links = await getLinkStatuses(options.documentName, options.token?.());
      render();
    } catch {
      // A failed read keeps the last known lines; the editor's own status line reports connectivity.
    }
  };
  const onPushed = ({ payload }: { payload: string }) => {
    const pushed = parsePushedStatuses(payload);
    if (!pushed || stopped) return;
    links = pushed;
    render();
  };
  const onSynced = ({ state }: { state: boolean }) => {
    if (state) void read();
  };
  options.provider.on('stateless', onPushed);
  options.provider.on('synced', onSynced);
  const tick = window.setInterval(() => {
    if (links.length && document.visibilityState === 'visible') render();
  }, 1000);
  const onVisible = () => {
    if (document.visibilityState === 'visible') void read();
  };
  document.addEventListener('visibilitychange', onVisible);
  void read();
  return {
    stop() {
      stopped = true;
      options.provider.off('stateless', onPushed);
      options.provider.off('synced', onSynced);
      window.clearInterval(tick);
      document.removeEventListener('visibilitychange', onVisible);
    },
  };
}

function lineElement(line: LinkLine): HTMLLIElement {
  const item = h('li', {
    class: 'link-status__item',
    'data-provider': line.provider,
    'data-tone': line.tone,
  });
  item.append(h('span', { class: 'link-status__label' }, line.label));
  if (line.remoteUrl && /^https:\/\//.test(line.remoteUrl)) {
    item.append(
      ' ',
      h(
        'a',
        { class: 'link', href: line.remoteUrl, target: '_blank', rel: 'noopener noreferrer' },
        `Open in ${line.suite}`,
        h('span', { class: 'visually-hidden' }, ' (opens in a new tab)'),
      ),
    );
  }
  return item;
}
