import { h } from '../shared/dom.ts';
import { type AuditEntry, listAudit } from './adminApi.ts';
import { reason, when } from './formParts.ts';

/** Entries per page of the audit log view. */
export const AUDIT_PAGE = 20;

/** `key: value` pairs of an entry's details, short enough for a table cell. */
function detailsText(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ');
}

/**
 * The tenant's audit log, newest first, twenty entries a page, with "Newer" and "Older" buttons (keyset
 * paging on the server: the cursors of visited pages are kept so "Newer" goes back exactly). The page
 * position is announced, and focus moves to the table caption after a page change.
 */
export function auditSection(): { element: HTMLElement; refresh(): Promise<void> } {
  const host = h('div');
  const element = h(
    'section',
    { class: 'admin-section', 'aria-labelledby': 'audit-title' },
    h('h2', { class: 'heading-l', id: 'audit-title' }, 'Audit log'),
    h('p', { class: 'body' }, 'Every administrator action and every write Docbridge made to a linked file.'),
    host,
  );
  /** Cursors of the pages shown so far: `cursors[i]` is the `before` of page i (null = newest). */
  let cursors: (number | null)[] = [null];
  let page = 0;

  async function show(index: number, focus: boolean) {
    let result: { entries: AuditEntry[]; next: number | null };
    try {
      result = await listAudit(cursors[index] ?? null, AUDIT_PAGE);
    } catch (error) {
      host.replaceChildren(
        h('p', { class: 'body' }, `The audit log could not be loaded (${reason(error)}).`),
      );
      return;
    }
    page = index;
    cursors = cursors.slice(0, index + 1);
    if (result.next) cursors.push(result.next);
    const caption = h(
      'caption',
      { class: 'table__caption heading-m', tabindex: '-1' },
      `Entries, page ${page + 1}`,
    );
    const rows = result.entries.map((entry) =>
      h(
        'tr',
        { class: 'table__row', 'data-audit': String(entry.id) },
        h('td', { class: 'table__cell' }, when(entry.at)),
        h('td', { class: 'table__cell' }, entry.actor),
        h('td', { class: 'table__cell' }, h('code', {}, entry.action)),
        h('td', { class: 'table__cell table__cell--wrap' }, entry.target ?? ''),
        h('td', { class: 'table__cell table__cell--wrap' }, detailsText(entry.details)),
      ),
    );
    const newer = h(
      'button',
      { class: 'button button--secondary button--small', type: 'button', disabled: page === 0 },
      'Newer entries',
    );
    const older = h(
      'button',
      { class: 'button button--secondary button--small', type: 'button', disabled: !result.next },
      'Older entries',
    );
    newer.addEventListener('click', () => void show(page - 1, true));
    older.addEventListener('click', () => void show(page + 1, true));
    const table = result.entries.length
      ? h(
          'table',
          { class: 'table' },
          caption,
          h(
            'thead',
            {},
            h(
              'tr',
              { class: 'table__row' },
              ...['When', 'Who', 'Action', 'Target', 'Details'].map((t) =>
                h('th', { class: 'table__header', scope: 'col' }, t),
              ),
            ),
          ),
          h('tbody', {}, ...rows),
        )
      : h('p', { class: 'body' }, 'The audit log is empty.');
    host.replaceChildren(
      table,
      h(
        'nav',
        { class: 'pagination', 'aria-label': 'Audit log pages' },
        h('div', { class: 'button-group' }, newer, older),
      ),
    );
    if (focus) caption.focus();
  }

  return { element, refresh: () => show(0, false) };
}
