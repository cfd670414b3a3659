import { getLinkStatuses, type LinkStatus } from '../shared/documentApi.ts';
import { h } from '../shared/dom.ts';
import { describeLink, type LinkLine } from './linkStatus.ts';

/** How often the link statuses are asked for while the page is visible. */
export const LINK_POLL_MS = 5000;

export interface LinkStatusLineOptions {
  /** `<tenant>/<id>`. */
  documentName: string;
  /** The element the lines go in (hidden while the document has no link). */
  host: HTMLElement;
  /** A bearer token source for pages without the session cookie (the embed iframe). */
  token?: () => string;
  /** Called with the lines whenever a link's state (not just its clock) changes. */
  onChange?(lines: LinkLine[]): void;
}

/**
 * The per-link sync status under the document title: polls `GET /api/documents/:tenant/:id/links` every
 * five seconds while the page is visible (and at once when it becomes visible again), redraws the relative
 * times every second, and announces state changes (not clock ticks) through a polite live region. Each line
 * links to the remote file, in a new tab.
 */
export function startLinkStatusLine(options: LinkStatusLineOptions): { stop(): void } {
  const { host } = options;
  const list = h('ul', { class: 'link-status__list' });
  const live = h('p', { class: 'visually-hidden', role: 'status', 'data-link-announcer': true });
  host.replaceChildren(list, live);
  host.hidden = true;
  let links: LinkStatus[] = [];
  let lastAnnounced = '';
  let pollTimer: number | undefined;
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

  const poll = async () => {
    window.clearTimeout(pollTimer);
    if (stopped) return;
    if (document.visibilityState === 'visible') {
      try {
        links = await getLinkStatuses(options.documentName, options.token?.());
        render();
      } catch {
        // A failed poll keeps the last known lines; the editor's own status line reports connectivity.
      }
    }
    if (!stopped) pollTimer = window.setTimeout(poll, LINK_POLL_MS);
  };
  const tick = window.setInterval(() => {
    if (links.length && document.visibilityState === 'visible') render();
  }, 1000);
  const onVisible = () => {
    if (document.visibilityState === 'visible') void poll();
  };
  document.addEventListener('visibilitychange', onVisible);
  void poll();
  return {
    stop() {
      stopped = true;
      window.clearTimeout(pollTimer);
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
