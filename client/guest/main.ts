import * as z from 'zod/mini';
import { call } from '../shared/api.ts';
import { ApiError } from '../shared/apiError.ts';
import { h, required } from '../shared/dom.ts';

/**
 * The guest link page, `/guest#<token>`: asks only for a display name, exchanges the token (read from the
 * fragment, which never reaches any server log) for a guest session, and opens the editor. The fragment is
 * cleared from the address bar at once so it is not left in history.
 */
function start(): void {
  const app = required('[data-app]');
  const token = location.hash.slice(1);
  history.replaceState(null, '', '/guest');
  if (!token) {
    app.replaceChildren(h('p', { class: 'body' }, 'This guest link is incomplete. Ask for the link again.'));
    return;
  }
  const input = h('input', {
    class: 'input',
    id: 'guest-name',
    name: 'name',
    autocomplete: 'name',
    maxlength: '60',
  });
  const error = h('p', { class: 'error-message', id: 'guest-name-error', hidden: true });
  const form = h(
    'form',
    { novalidate: true },
    h('label', { class: 'label label--bold', for: 'guest-name' }, 'Your name'),
    h('p', { class: 'hint' }, 'Others editing the document see this name, marked as a guest.'),
    error,
    input,
    h('button', { class: 'button', type: 'submit' }, 'Open the document'),
  );
  const show = (message: string) => {
    error.replaceChildren(h('span', { class: 'visually-hidden' }, 'Error: '), message);
    error.hidden = false;
    input.focus();
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = input.value.trim();
    if (!name) return show('Enter your name');
    try {
      const { document } = await call('/api/guest-links/redeem', z.object({ document: z.string() }), {
        method: 'POST',
        body: JSON.stringify({ token, name }),
      });
      location.assign(`/d/${document}`);
    } catch (failure) {
      const refused =
        failure instanceof ApiError && ['guest-link-refused', 'invalid-guest-link'].includes(failure.code);
      if (!refused) return show(`The document could not be opened (${describe(failure)}).`);
      app.replaceChildren(
        h(
          'p',
          { class: 'body', 'data-refused': true },
          'This link has expired or was withdrawn. Ask for a new one.',
        ),
      );
    }
  });
  app.replaceChildren(form);
}

function describe(error: unknown): string {
  return error instanceof ApiError ? error.code : 'unexpected error';
}

start();
