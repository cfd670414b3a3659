import type { DocumentSummary } from '../shared/api.ts';
import { h } from '../shared/dom.ts';

/** How each role is shown to the user in document lists. */
export const roleText: Record<DocumentSummary['role'], string> = {
  edit: 'Can edit',
  comment: 'Can comment',
  read: 'Can view',
};

export interface TableActions {
  rename(name: string, title: string): Promise<void>;
}

/**
 * The documents table: title (a link that opens the editor), the user's access, and a rename action that
 * swaps the row into an inline form. Rename is offered only where the user can edit.
 */
export function documentTable(documents: DocumentSummary[], actions: TableActions): HTMLElement {
  if (documents.length === 0) {
    return h('p', { class: 'body' }, 'You have no documents yet. Create one above.');
  }
  const body = h('tbody', { class: 'table__body' });
  for (const doc of documents) body.append(row(doc, actions));
  return h(
    'table',
    { class: 'table' },
    h('caption', { class: 'table__caption heading-m' }, 'Documents you can open'),
    h(
      'thead',
      { class: 'table__head' },
      h(
        'tr',
        { class: 'table__row' },
        h('th', { class: 'table__header', scope: 'col' }, 'Title'),
        h('th', { class: 'table__header', scope: 'col' }, 'Your access'),
        h('th', { class: 'table__header', scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')),
      ),
    ),
    body,
  );
}

function row(doc: DocumentSummary, actions: TableActions): HTMLTableRowElement {
  const tr = h('tr', { class: 'table__row', 'data-name': doc.name });
  const link = h('a', { class: 'link', href: `/d/${doc.name}` }, doc.title);
  const actionsCell = h('td', { class: 'table__cell table__cell--actions' });
  if (doc.role === 'edit') {
    const rename = h(
      'button',
      { class: 'button button--secondary button--small', type: 'button' },
      'Rename',
      h('span', { class: 'visually-hidden' }, ` ${doc.title}`),
    );
    rename.addEventListener('click', () => tr.replaceWith(renameRow(doc, actions, tr)));
    actionsCell.append(rename);
  }
  tr.append(
    h('td', { class: 'table__cell' }, link, h('span', { class: 'table__secondary' }, doc.name)),
    h('td', { class: 'table__cell' }, roleText[doc.role]),
    actionsCell,
  );
  return tr;
}

function renameRow(
  doc: DocumentSummary,
  actions: TableActions,
  original: HTMLTableRowElement,
): HTMLTableRowElement {
  const id = `rename-${doc.name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  const input = h('input', { class: 'input', id, type: 'text', maxlength: '200', autocomplete: 'off' });
  input.value = doc.title;
  const error = h('p', { class: 'error-message', id: `${id}-error`, hidden: true });
  const cancel = h('button', { class: 'button button--secondary button--small', type: 'button' }, 'Cancel');
  const form = h(
    'form',
    { class: 'rename-form', novalidate: true },
    h('label', { class: 'label', for: id }, `New title for ${doc.title}`),
    error,
    input,
    h(
      'div',
      { class: 'button-group' },
      h('button', { class: 'button button--small', type: 'submit' }, 'Save title'),
      cancel,
    ),
  );
  const tr = h(
    'tr',
    { class: 'table__row', 'data-name': doc.name },
    h('td', { class: 'table__cell', colspan: '3' }, form),
  );
  cancel.addEventListener('click', () => {
    tr.replaceWith(original);
    original.querySelector('button')?.focus();
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const title = input.value.trim();
    const fail = (message: string) => {
      error.replaceChildren(h('span', { class: 'visually-hidden' }, 'Error: '), message);
      error.hidden = false;
      input.setAttribute('aria-describedby', error.id);
      input.focus();
    };
    if (!title) return fail('Enter a title');
    try {
      await actions.rename(doc.name, title);
    } catch {
      fail('The title could not be saved. Try again.');
    }
  });
  queueMicrotask(() => input.focus());
  return tr;
}
