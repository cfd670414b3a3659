import { ApiError } from '../shared/apiError.ts';
import { h } from '../shared/dom.ts';
import {
  type Credential,
  createCredential,
  deleteCredential,
  listCredentials,
  type NewGoogleCredential,
  serviceAccountKeySchema,
  verifyCredential,
} from './adminApi.ts';
import { field, reason, rowButton, textInput, when } from './formParts.ts';

export interface CredentialsSection {
  element: HTMLElement;
  refresh(): Promise<void>;
}

/**
 * Google credentials of the admin's tenant: the list (name, service account, fingerprint, last check) with
 * Verify and Delete, and a form that registers a service account from its JSON key file. The key is read
 * in the browser, sent once, and forgotten: afterwards only its fingerprint shows. Optional subject
 * (domain-wide delegation) and API endpoints (private deployments, the emulator) sit in an "Advanced"
 * disclosure.
 */
export function credentialsSection(
  announce: (text: string) => void,
  changed: () => void,
): CredentialsSection {
  const listHost = h('div');
  const element = h(
    'section',
    { class: 'admin-section', 'aria-labelledby': 'credentials-title' },
    h('h2', { class: 'heading-l', id: 'credentials-title' }, 'Credentials'),
    listHost,
    addForm(),
  );

  async function refresh() {
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
      listHost.replaceChildren(
        h('p', { class: 'body' }, 'No credentials yet. Add a Google service account below.'),
      );
      return;
    }
    const rows = credentials.map((credential) => {
      const account =
        typeof credential.metadata.clientEmail === 'string' ? credential.metadata.clientEmail : '';
      const subject = typeof credential.metadata.subject === 'string' ? credential.metadata.subject : null;
      const check = credential.lastError
        ? h('span', { class: 'tag tag--red' }, `Refused: ${credential.lastError}`)
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
              ? `${credential.name}: Google accepted the credential.`
              : `${credential.name}: refused (${result.error}).`,
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
          h('span', { class: 'table__secondary' }, 'Google service account'),
        ),
        h(
          'td',
          { class: 'table__cell' },
          account,
          subject ? h('span', { class: 'table__secondary' }, `acting as ${subject}`) : null,
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

  function addForm(): HTMLElement {
    const name = field(
      textInput('credential-name', { maxlength: '100' }),
      'Name',
      'So you can tell credentials apart, for example “Policy unit”',
    );
    const key = field(
      h('input', {
        class: 'file-upload',
        id: 'credential-key',
        name: 'credential-key',
        type: 'file',
        accept: '.json,application/json',
      }),
      'Service account key file (JSON)',
      'The key file downloaded from the Google Cloud console. It is encrypted on the server and never shown again.',
    );
    const subject = field(
      textInput('credential-subject', { type: 'email' }),
      'Act as user (optional)',
      'For domain-wide delegation only: the Workspace user the service account acts as',
    );
    const endpoint = (id: string, label: string) =>
      field(textInput(id, { type: 'url', inputmode: 'url' }), label);
    const docs = endpoint('endpoint-docs', 'Docs API address');
    const drive = endpoint('endpoint-drive', 'Drive API address');
    const token = endpoint('endpoint-token', 'Token address');
    const advanced = h(
      'details',
      { class: 'details' },
      h('summary', { class: 'details__summary' }, 'Advanced settings'),
      h(
        'div',
        { class: 'details__text' },
        subject.group,
        h(
          'p',
          { class: 'hint' },
          'API endpoints: leave empty to use Google’s public APIs. Set them only for a private deployment or a test emulator.',
        ),
        docs.group,
        drive.group,
        token.group,
      ),
    );
    const form = h(
      'form',
      { class: 'admin-form', novalidate: true },
      h('h3', { class: 'heading-m' }, 'Add a Google service account'),
      name.group,
      key.group,
      advanced,
      h('button', { class: 'button', type: 'submit' }, 'Add credential'),
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      for (const f of [name, key, subject, docs, drive, token]) f.clear();
      const input: Partial<NewGoogleCredential> = {};
      input.name = name.control.value.trim();
      if (!input.name) return name.fail('Enter a name for the credential');
      const file = key.control.files?.[0];
      if (!file) return key.fail('Choose the service account’s JSON key file');
      let parsed: unknown;
      try {
        parsed = JSON.parse(await file.text());
      } catch {
        return key.fail('The file is not JSON. Choose the key file Google gave you (it ends in .json)');
      }
      const keyFile = serviceAccountKeySchema.safeParse(parsed);
      if (!keyFile.success)
        return key.fail(
          'The file is not a service account key (it needs type, client_email and private_key)',
        );
      input.serviceAccountKey = keyFile.data;
      const subjectValue = subject.control.value.trim();
      if (subjectValue) {
        if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(subjectValue))
          return subject.fail('Enter an email address, like docbridge@department.gov.uk');
        input.subject = subjectValue;
      }
      const endpoints: Record<string, string> = {};
      for (const [keyName, f] of [
        ['docs', docs],
        ['drive', drive],
        ['token', token],
      ] as const) {
        const value = f.control.value.trim();
        if (!value) continue;
        if (!/^https?:\/\/\S+$/.test(value)) {
          advanced.open = true;
          return f.fail('Enter an address starting with https:// (or http:// for a local emulator)');
        }
        endpoints[keyName] = value;
      }
      if (Object.keys(endpoints).length) input.endpoints = endpoints;
      try {
        const created = await createCredential(input as NewGoogleCredential);
        form.reset();
        announce(
          `Credential ${input.name} added. Fingerprint ${created.fingerprint}. The key file is not kept in this page.`,
        );
        await refresh();
        changed();
      } catch (error) {
        key.fail(`The credential was refused (${reason(error)})`);
      }
    });
    return form;
  }

  return { element, refresh };
}
