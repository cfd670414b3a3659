import { ApiError } from '../shared/apiError.ts';
import { h } from '../shared/dom.ts';
import {
  type Credential,
  deleteCredential,
  listCredentials,
  listSuites,
  type SuiteInfo,
  verifyCredential,
} from './adminApi.ts';
import { credentialForm } from './credentialForm.ts';
import { reason, rowButton, when } from './formParts.ts';

export interface CredentialsSection {
  element: HTMLElement;
  refresh(): Promise<void>;
}

/**
 * Credentials of the admin's tenant: the list (name and kind, account, fingerprint, last check, each described
 * by its suite) with Verify and Delete, and one form per suite the server speaks (`credentialForm`, built from
 * `GET /api/suites`). Secrets are sent once and forgotten: afterwards only their fingerprint shows.
 */
export function credentialsSection(
  announce: (text: string) => void,
  changed: () => void,
): CredentialsSection {
  const listHost = h('div');
  const formsHost = h('div');
  const element = h(
    'section',
    { class: 'admin-section', 'aria-labelledby': 'credentials-title' },
    h('h2', { class: 'heading-l', id: 'credentials-title' }, 'Credentials'),
    listHost,
    formsHost,
  );
  let suites: SuiteInfo[] | null = null;
  const owner = (provider: string) =>
    suites?.find((suite) => suite.provider === provider)?.credential.owner ?? 'The provider';

  /** Builds the suites' forms once the server said which suites it speaks (a failed answer is tried again). */
  async function loadForms() {
    if (suites) return;
    try {
      suites = await listSuites();
    } catch (error) {
      formsHost.replaceChildren(
        h('p', { class: 'body' }, `The credential forms could not be loaded (${reason(error)}).`),
      );
      return;
    }
    const added = async () => {
      await refresh();
      changed();
    };
    formsHost.replaceChildren(...suites.map((suite) => credentialForm(suite, announce, added)));
  }

  async function refresh() {
    await loadForms();
    try {
      renderList(await listCredentials());
    } catch (error) {
      listHost.replaceChildren(
        h('p', { class: 'body' }, `Credentials could not be loaded (${reason(error)}).`),
      );
    }
  }

  function renderList(credentials: Credential[]) {
    if (credentials.length === 0) {
      listHost.replaceChildren(h('p', { class: 'body' }, 'No credentials yet. Add one with a form below.'));
      return;
    }
    const rows = credentials.map((credential) => {
      const summary = credential.summary ?? { kind: `Unknown suite ${credential.provider}`, account: '' };
      const advice = credential.advice;
      const check = credential.lastError
        ? h(
            'span',
            {},
            h('span', { class: 'tag tag--red' }, `Refused: ${credential.lastError}`),
            advice ? h('span', { class: 'table__advice' }, advice) : null,
          )
        : credential.verifiedAt
          ? h('span', { class: 'tag tag--green' }, `Verified ${when(credential.verifiedAt)}`)
          : h('span', { class: 'tag' }, 'Not verified');
      const verify = rowButton('Verify', credential.name);
      const remove = rowButton('Delete', credential.name, true);
      const actions = h(
        'td',
        { class: 'table__cell table__cell--actions' },
        h('div', { class: 'button-group button-group--end' }, verify, remove),
      );
      verify.addEventListener('click', async () => {
        verify.disabled = true;
        announce(`Verifying ${credential.name}…`);
        try {
          const result = await verifyCredential(credential.id);
          announce(
            result.ok
              ? `${credential.name}: ${owner(credential.provider)} accepted the credential.`
              : `${credential.name}: refused (${result.error}).${result.advice ? ` ${result.advice}` : ''}`,
          );
        } catch (error) {
          announce(`${credential.name} could not be verified (${reason(error)}).`);
        }
        await refresh();
        listHost.querySelector<HTMLElement>(`[data-credential="${credential.id}"] button`)?.focus();
      });
      remove.addEventListener('click', () => confirmDelete(credential, actions, remove));
      return h(
        'tr',
        { class: 'table__row', 'data-credential': credential.id },
        h(
          'td',
          { class: 'table__cell' },
          credential.name,
          h('span', { class: 'table__secondary' }, summary.kind),
        ),
        h(
          'td',
          { class: 'table__cell' },
          summary.account,
          summary.actingAs ? h('span', { class: 'table__secondary' }, `acting as ${summary.actingAs}`) : null,
        ),
        h('td', { class: 'table__cell' }, h('code', { class: 'fingerprint' }, credential.fingerprint)),
        h('td', { class: 'table__cell' }, check),
        actions,
      );
    });
    listHost.replaceChildren(
      h(
        'table',
        { class: 'table' },
        h('caption', { class: 'visually-hidden' }, 'Registered credentials'),
        h(
          'thead',
          {},
          h(
            'tr',
            { class: 'table__row' },
            ...['Name', 'Account', 'Fingerprint', 'Check'].map((title) =>
              h('th', { class: 'table__header', scope: 'col' }, title),
            ),
            h(
              'th',
              { class: 'table__header', scope: 'col' },
              h('span', { class: 'visually-hidden' }, 'Actions'),
            ),
          ),
        ),
        h('tbody', {}, ...rows),
      ),
    );
  }

  function confirmDelete(
    credential: Credential,
    cell: HTMLElement,
    trigger: HTMLButtonElement,
    force = false,
    links = 0,
  ) {
    const original = [...cell.childNodes];
    const question = force
      ? `${credential.name} is used by ${links || 'some'} linked document(s). Delete it and unlink them?`
      : `Delete ${credential.name}?`;
    const yes = h(
      'button',
      { class: 'button button--warning button--small', type: 'button' },
      force ? 'Delete and unlink' : 'Yes, delete',
    );
    const no = h('button', { class: 'button button--secondary button--small', type: 'button' }, 'Cancel');
    cell.replaceChildren(
      h('p', { class: 'body body--small' }, question),
      h('div', { class: 'button-group button-group--end' }, yes, no),
    );
    yes.focus();
    no.addEventListener('click', () => {
      cell.replaceChildren(...original);
      trigger.focus();
    });
    yes.addEventListener('click', async () => {
      try {
        const { deletedLinks } = await deleteCredential(credential.id, force);
        announce(`${credential.name} deleted${deletedLinks ? `, with ${deletedLinks} link(s)` : ''}.`);
        await refresh();
        changed();
        element.querySelector<HTMLElement>('h2')?.focus();
      } catch (error) {
        if (error instanceof ApiError && error.code === 'credential-in-use') {
          const count = Number(/used by (\d+)/.exec(error.message)?.[1] ?? 0);
          cell.replaceChildren(...original);
          confirmDelete(credential, cell, trigger, true, count);
          return;
        }
        announce(`${credential.name} could not be deleted (${reason(error)}).`);
      }
    });
  }

  return { element, refresh };
}
