import { h } from '../shared/dom.ts';
import { reason, rowButton, when } from './formParts.ts';
import {
  listProviders,
  listSessions,
  listTenantGuestLinks,
  listTenantShares,
  revokeSession,
  type TenantShare,
} from './identityApi.ts';

/** A simple table with a caption and column headers; rows are already built. */
function table(caption: string, headers: string[], rows: HTMLTableRowElement[], empty: string): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'body' }, empty);
  return h(
    'table',
    { class: 'table' },
    h('caption', { class: 'table__caption heading-m' }, caption),
    h(
      'thead',
      { class: 'table__head' },
      h(
        'tr',
        { class: 'table__row' },
        ...headers.map((text) => h('th', { class: 'table__header', scope: 'col' }, text)),
      ),
    ),
    h('tbody', { class: 'table__body' }, ...rows),
  );
}

const cell = (...children: (Node | string)[]) =>
  h('td', { class: 'table__cell table__cell--wrap' }, ...children);
const grantee = (share: TenantShare) =>
  'user' in share.with ? share.with.user : `department ${share.with.tenant}`;

/**
 * Sign-in and sharing, for a tenant administrator: the identity providers in use (with the redirect URI to
 * register at each), the active sessions with Revoke (the session stops at once and its editors close), the
 * shares of this tenant's documents with others and of others' documents with this tenant, and guest links.
 */
export function identitySection(announce: (text: string) => void): {
  element: HTMLElement;
  refresh(): Promise<void>;
} {
  const host = h('div');
  const element = h(
    'section',
    { class: 'admin-section', 'aria-labelledby': 'identity-title' },
    h('h2', { class: 'heading-l', id: 'identity-title' }, 'Sign-in and sharing'),
    host,
  );

  async function refresh(): Promise<void> {
    try {
      const [providers, sessions, shares, guestLinks] = await Promise.all([
        listProviders(),
        listSessions(),
        listTenantShares(),
        listTenantGuestLinks(),
      ]);
      const sessionRows = sessions.map((session) => {
        const row = h(
          'tr',
          { class: 'table__row', 'data-session': session.id },
          cell(session.user.name, session.user.email ? ` (${session.user.email})` : ''),
          cell(session.via),
          cell(when(session.createdAt)),
          cell(when(session.lastSeenAt)),
        );
        const actions = h('td', { class: 'table__cell table__cell--actions' });
        if (session.current) actions.append('This session');
        else {
          const revoke = rowButton('Revoke', `session of ${session.user.name}`, true);
          revoke.addEventListener('click', async () => {
            try {
              await revokeSession(session.id);
              announce(`Session of ${session.user.name} revoked.`);
            } catch (error) {
              announce(`The session could not be revoked (${reason(error)}).`);
            }
            await refresh();
          });
          actions.append(revoke);
        }
        row.append(actions);
        return row;
      });
      const shareRow = (share: TenantShare, outgoing: boolean) =>
        h(
          'tr',
          { class: 'table__row' },
          cell(share.doc),
          cell(outgoing ? grantee(share) : `from ${share.tenant}`),
          cell(share.role),
        );
      const live = guestLinks.filter((link) => link.revokedAt === null && link.expiresAt > Date.now());
      host.replaceChildren(
        table(
          'Identity providers',
          ['Provider', 'Issuer', 'Client', 'Redirect URI to register'],
          providers.map((p) =>
            h(
              'tr',
              { class: 'table__row' },
              cell(p.label),
              cell(p.issuer),
              cell(`${p.clientId} (${p.clientAuthentication})`),
              cell(h('code', {}, p.redirectUri)),
            ),
          ),
          'No identity provider signs users into this department (see docs/identity.md).',
        ),
        table(
          'Active sessions',
          ['User', 'Signed in with', 'Since', 'Last seen', ''],
          sessionRows,
          'Nobody is signed in with a session.',
        ),
        table(
          'Shared by this department',
          ['Document', 'With', 'Access'],
          shares.outgoing.map((s) => shareRow(s, true)),
          'No document of this department is shared.',
        ),
        table(
          'Shared with this department',
          ['Document', 'Owner', 'Access'],
          shares.incoming.map((s) => shareRow(s, false)),
          'No other department shares a document with this one.',
        ),
        table(
          'Guest links',
          ['Document', 'Label', 'Access', 'Expires'],
          live.map((link) =>
            h(
              'tr',
              { class: 'table__row' },
              cell(link.doc),
              cell(link.label ?? ''),
              cell(link.role),
              cell(when(link.expiresAt)),
            ),
          ),
          'No guest link is active.',
        ),
      );
    } catch (error) {
      host.replaceChildren(
        h('p', { class: 'body' }, `Sign-in and sharing could not be loaded (${reason(error)}).`),
      );
    }
  }

  return { element, refresh };
}
