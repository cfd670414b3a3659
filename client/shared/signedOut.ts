import { signInProviders } from './api.ts';
import { ApiError } from './apiError.ts';
import { h } from './dom.ts';

/**
 * What a page shows when the session could not be read: the server is unreachable, or nobody is signed in
 * (then how to sign in: the printed link on a local server, the portal elsewhere). `what` completes "open
 * ... from your organisation's portal" and `headline` says what needs a sign-in.
 */
export function signedOut(error: unknown, headline: string, what: string): HTMLElement {
  if (error instanceof ApiError && error.code === 'network-error') {
    return h(
      'p',
      { class: 'body' },
      'The server could not be reached. Check your connection and reload the page.',
    );
  }
  const buttons = h('div', { class: 'sign-in-buttons' });
  const hint = h(
    'p',
    { class: 'body' },
    `On a local server, open the sign-in link the server printed when it started. Otherwise, open ${what} from your organisation’s portal.`,
  );
  // One "Sign in with <label>" button per OpenID Provider, coming back to this page afterwards.
  void signInProviders()
    .then(({ providers }) => {
      const back = encodeURIComponent(location.pathname);
      buttons.replaceChildren(
        ...providers.map((p) =>
          h(
            'a',
            { class: 'button', href: `${p.href}?return=${back}`, role: 'button' },
            `Sign in with ${p.label}`,
          ),
        ),
      );
      if (providers.length > 0) hint.textContent = `Or open ${what} from your organisation’s portal.`;
    })
    .catch(() => undefined);
  return h('div', {}, h('p', { class: 'body' }, headline), buttons, hint);
}
