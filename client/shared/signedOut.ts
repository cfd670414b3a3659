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
  return h(
    'div',
    {},
    h('p', { class: 'body' }, headline),
    h(
      'p',
      { class: 'body' },
      `On a local server, open the sign-in link the server printed when it started. Otherwise, open ${what} from your organisation’s portal.`,
    ),
  );
}
