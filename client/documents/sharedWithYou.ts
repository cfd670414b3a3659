import type { listSharedDocuments } from '../shared/api.ts';
import { h } from '../shared/dom.ts';
import { roleText } from './documentTable.ts';

/**
 * "Shared with you": documents another department shared with the user or their whole department, with the
 * owning department named (it stays the data controller). Nothing is shown when there are none.
 */
export function sharedWithYou(
  documents: Awaited<ReturnType<typeof listSharedDocuments>>,
): HTMLElement | null {
  if (documents.length === 0) return null;
  return h(
    'section',
    { class: 'shared-with-you', 'aria-labelledby': 'shared-heading' },
    h('h2', { class: 'heading-m', id: 'shared-heading' }, 'Shared with you'),
    h(
      'ul',
      { class: 'list' },
      ...documents.map((doc) =>
        h(
          'li',
          { 'data-name': doc.name },
          h('a', { class: 'link', href: `/d/${doc.name}` }, doc.title),
          h('span', { class: 'table__secondary' }, ` from ${doc.owner} · ${roleText[doc.role]}`),
        ),
      ),
    ),
  );
}
