import {
  createDocument,
  type DocumentSummary,
  getSession,
  listDocuments,
  listSharedDocuments,
  renameDocument,
  type Session,
} from '../shared/api.ts';
import { ApiError } from '../shared/apiError.ts';
import { h, required } from '../shared/dom.ts';
import { renderNav } from '../shared/nav.ts';
import { signedOut } from '../shared/signedOut.ts';
import { documentTable } from './documentTable.ts';
import { importForm } from './importForm.ts';
import { sharedWithYou } from './sharedWithYou.ts';
import { yourSessions } from './yourSessions.ts';

const app = required('[data-app]');

/** The documents page: the signed-in user's documents, with create, rename and open. */
async function start(): Promise<void> {
  let session: Session;
  try {
    session = await getSession();
    renderNav(required('[data-nav]'), session);
  } catch (error) {
    app.replaceChildren(signedOut(error, 'You are not signed in.', 'Docbridge'));
    return;
  }
  // A guest reaches one document only: straight there.
  const only = Object.keys(session.docs);
  if (session.user.guest && only.length === 1) {
    location.replace(`/d/${only[0]}`);
    return;
  }
  await refresh();
  // Where else this user is signed in (sessions only: portal tokens have none).
  if (session.csrfToken && !session.user.guest) app.after(await yourSessions());
}

async function refresh(focusName?: string): Promise<void> {
  let documents: DocumentSummary[];
  let shared: Awaited<ReturnType<typeof listSharedDocuments>>;
  try {
    [documents, shared] = await Promise.all([listDocuments(), listSharedDocuments()]);
  } catch (error) {
    app.replaceChildren(
      h('p', { class: 'body' }, `Your documents could not be loaded (${describe(error)}).`),
    );
    return;
  }
  app.replaceChildren(
    h('div', { class: 'form-columns' }, createForm(), importForm()),
    sharedWithYou(shared) ?? '',
    documentTable(documents, {
      rename: async (name, title) => {
        await renameDocument(name, title);
        await refresh(name);
      },
    }),
  );
  if (focusName) app.querySelector<HTMLElement>(`[data-name="${CSS.escape(focusName)}"] a`)?.focus();
}

function createForm(): HTMLElement {
  const input = h('input', {
    class: 'input input--wide',
    id: 'new-title',
    name: 'title',
    type: 'text',
    required: true,
    maxlength: '200',
    autocomplete: 'off',
  });
  const error = h('p', { class: 'error-message', id: 'new-title-error', hidden: true });
  const group = h(
    'div',
    { class: 'form-group' },
    h('label', { class: 'label label--bold', for: 'new-title' }, 'Title of a new document'),
    error,
    input,
  );
  const form = h(
    'form',
    { class: 'create-form', novalidate: true },
    h('h2', { class: 'heading-m' }, 'Create a document'),
    group,
    h('button', { class: 'button', type: 'submit' }, 'Create document'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const title = input.value.trim();
    const fail = (message: string) => {
      error.replaceChildren(h('span', { class: 'visually-hidden' }, 'Error: '), message);
      error.hidden = false;
      group.classList.add('form-group--error');
      input.setAttribute('aria-describedby', error.id);
      input.focus();
    };
    if (!title) return fail('Enter a title for the document');
    try {
      const created = await createDocument(title);
      location.assign(`/d/${created.name}`);
    } catch (failure) {
      fail(`The document could not be created (${describe(failure)})`);
    }
  });
  return form;
}

function describe(error: unknown): string {
  return error instanceof ApiError ? error.code : 'unexpected error';
}

void start();
