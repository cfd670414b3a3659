import { h } from '../shared/dom.ts';
import {
  createCredential,
  type GoogleEndpoints,
  type NewGoogleCredential,
  type OAuthUserSecret,
  serviceAccountKeySchema,
} from './adminApi.ts';
import { type CredentialKind, kindLabels } from './credentialKinds.ts';
import { type Field, field, radioGroup, reason, textInput } from './formParts.ts';

/** A field that failed has already shown its error and taken focus: the submission stops there. */
const FAILED = Symbol('failed');
type Read<T> = T | typeof FAILED;
/** The secret half of a new credential: one kind or the other, as the admin API requires. */
type SecretPart =
  | Pick<Extract<NewGoogleCredential, { serviceAccountKey: unknown }>, 'serviceAccountKey' | 'subject'>
  | { oauth: OAuthUserSecret };

/**
 * The form that registers a Google credential: a name, then either a service account's JSON key file or an
 * OAuth user credential (client ID, client secret, refresh token), chosen with a radio group. Secrets are
 * read in the browser, sent once and forgotten: the secret inputs are password fields the browser does not
 * fill or remember, the form is emptied after saving, and only the fingerprint the server answers is shown.
 * Optional subject (service accounts only) and API endpoints sit in an "Advanced settings" disclosure.
 * Errors show beside their field (GOV.UK pattern); outcomes go to `announce`, the page's live region.
 */
export function credentialForm(
  announce: (text: string) => void,
  saved: () => Promise<void>,
): HTMLFormElement {
  const name = field(
    textInput('credential-name', { maxlength: '100' }),
    'Name',
    'So you can tell credentials apart, for example “Policy unit”',
  );
  const kind = radioGroup<CredentialKind>(
    'credential-kind',
    'Type of credential',
    [
      {
        value: 'serviceAccount',
        label: kindLabels.serviceAccount,
        hint: 'A robot account of your Google Cloud project. Share the Google Docs with its email address.',
      },
      {
        value: 'oauth',
        label: kindLabels.oauth,
        hint: 'Acts as the Google user who granted access to your OAuth client, with that user’s documents.',
      },
    ],
    'serviceAccount',
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
  const secretInput = (id: string) => textInput(id, { type: 'password', autocomplete: 'off' });
  const clientId = field(
    textInput('credential-client-id'),
    'Client ID',
    'From the OAuth client in the Google Cloud console, usually ending in .apps.googleusercontent.com',
  );
  const clientSecret = field(
    secretInput('credential-client-secret'),
    'Client secret',
    'Encrypted on the server and never shown again',
  );
  const refreshToken = field(
    secretInput('credential-refresh-token'),
    'Refresh token',
    'The long-lived token issued when the user granted access (not a short-lived access token). Encrypted on the server and never shown again.',
  );
  const serviceAccountPart = h('div', {}, key.group);
  const oauthPart = h('div', { hidden: true }, clientId.group, clientSecret.group, refreshToken.group);
  const subject = field(
    textInput('credential-subject', { type: 'email' }),
    'Act as user (optional)',
    'For domain-wide delegation only: the Workspace user the service account acts as',
  );
  const endpoint = (id: string, label: string) =>
    field(textInput(id, { type: 'url', inputmode: 'url' }), label);
  const endpoints = {
    docs: endpoint('endpoint-docs', 'Docs API address'),
    drive: endpoint('endpoint-drive', 'Drive API address'),
    token: endpoint('endpoint-token', 'Token address'),
  };
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
      endpoints.docs.group,
      endpoints.drive.group,
      endpoints.token.group,
    ),
  );
  const submit = h('button', { class: 'button', type: 'submit' }, 'Add credential');
  const form = h(
    'form',
    { class: 'admin-form', novalidate: true },
    h('h3', { class: 'heading-m' }, 'Add a Google credential'),
    name.group,
    kind.element,
    serviceAccountPart,
    oauthPart,
    advanced,
    submit,
  );
  const fields: Field<HTMLElement>[] = [name, key, clientId, clientSecret, refreshToken, subject];
  fields.push(...Object.values(endpoints));

  /** Shows the fields of the chosen kind; hidden fields leave the tab order and the accessibility tree. */
  const showKind = (chosen: CredentialKind) => {
    serviceAccountPart.hidden = chosen !== 'serviceAccount';
    oauthPart.hidden = chosen !== 'oauth';
    subject.group.hidden = chosen !== 'serviceAccount';
    for (const f of fields) f.clear();
  };
  kind.onChange(showKind);

  async function readServiceAccount(): Promise<Read<SecretPart>> {
    const file = key.control.files?.[0];
    if (!file) return failed(key, 'Choose the service account’s JSON key file');
    let parsed: unknown;
    try {
      parsed = JSON.parse(await file.text());
    } catch {
      return failed(key, 'The file is not JSON. Choose the key file Google gave you (it ends in .json)');
    }
    const keyFile = serviceAccountKeySchema.safeParse(parsed);
    if (!keyFile.success)
      return failed(
        key,
        'The file is not a service account key (it needs type, client_email and private_key)',
      );
    const subjectValue = subject.control.value.trim();
    if (!subjectValue) return { serviceAccountKey: keyFile.data };
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(subjectValue)) {
      advanced.open = true;
      return failed(subject, 'Enter an email address, like docbridge@department.gov.uk');
    }
    return { serviceAccountKey: keyFile.data, subject: subjectValue };
  }

  function readOAuth(): Read<SecretPart> {
    const id = clientId.control.value.trim();
    if (!id) return failed(clientId, 'Enter the OAuth client ID');
    // Only whitespace around a value (left by copying) is dropped: no Google client ID, secret or token holds any.
    const secret = clientSecret.control.value.trim();
    if (!secret) return failed(clientSecret, 'Enter the OAuth client secret');
    const refresh = refreshToken.control.value.trim();
    if (!refresh) return failed(refreshToken, 'Enter the refresh token');
    return { oauth: { clientId: id, clientSecret: secret, refreshToken: refresh } };
  }

  function readEndpoints(): Read<GoogleEndpoints | undefined> {
    const read: GoogleEndpoints = {};
    for (const [keyName, f] of Object.entries(endpoints) as [
      keyof GoogleEndpoints,
      Field<HTMLInputElement>,
    ][]) {
      const value = f.control.value.trim();
      if (!value) continue;
      if (!/^https?:\/\/\S+$/.test(value)) {
        advanced.open = true;
        return failed(f, 'Enter an address starting with https:// (or http:// for a local emulator)');
      }
      read[keyName] = value;
    }
    return Object.keys(read).length ? read : undefined;
  }

  /** Validates the form, registers the credential and empties the form; errors show beside their field. */
  async function save() {
    for (const f of fields) f.clear();
    const credentialName = name.control.value.trim();
    if (!credentialName) return name.fail('Enter a name for the credential');
    const chosen = kind.value();
    const secret = chosen === 'oauth' ? readOAuth() : await readServiceAccount();
    if (secret === FAILED) return;
    const apis = readEndpoints();
    if (apis === FAILED) return;
    const input: NewGoogleCredential = {
      name: credentialName,
      ...secret,
      ...(apis ? { endpoints: apis } : {}),
    };
    let fingerprint: string;
    try {
      ({ fingerprint } = await createCredential({ provider: 'google', ...input }));
    } catch (error) {
      return (chosen === 'oauth' ? clientId : key).fail(`The credential was refused (${reason(error)})`);
    }
    form.reset();
    kind.set(chosen);
    showKind(chosen);
    const forgotten = chosen === 'oauth' ? 'client secret and refresh token are' : 'key file is';
    announce(
      `Credential ${credentialName} added. Fingerprint ${fingerprint}. The ${forgotten} not kept in this page.`,
    );
    await saved();
  }

  // A second press while the first is on its way is ignored (disabling the button would drop its focus).
  let saving = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (saving) return;
    saving = true;
    try {
      await save();
    } finally {
      saving = false;
    }
  });
  return form;
}

function failed(f: Field<HTMLElement>, message: string): typeof FAILED {
  f.fail(message);
  return FAILED;
}
