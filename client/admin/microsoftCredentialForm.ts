import { h } from '../shared/dom.ts';
import { createCredential, type NewMicrosoftCredential } from './adminApi.ts';
import { type Field, field, radioGroup, reason, textInput } from './formParts.ts';

type Proof = 'clientSecret' | 'certificate';

/**
 * The form that registers a Microsoft credential (docs/connectors/microsoft.md): a name, the Entra app's
 * directory (tenant) and application (client) ids, the Word add-in's client id when it is deployed, then its
 * client secret or a certificate PEM file with its private key, chosen with a radio group; national-cloud
 * endpoints in a disclosure. Secrets are read in the browser, sent once and forgotten (password field the
 * browser does not fill, form emptied after saving); only the fingerprint the server answers is shown. Errors
 * show beside their field.
 */
export function microsoftCredentialForm(
  announce: (text: string) => void,
  saved: () => Promise<void>,
): HTMLFormElement {
  const name = field(
    textInput('ms-credential-name', { maxlength: '100' }),
    'Credential name',
    'For example “Policy unit (Microsoft 365)”',
  );
  const tenant = field(
    textInput('ms-credential-tenant'),
    'Directory (tenant) ID',
    'On the app registration’s overview page in Microsoft Entra',
  );
  const client = field(textInput('ms-credential-client'), 'Application (client) ID');
  const addin = field(
    textInput('ms-credential-addin'),
    'Word add-in client ID (optional)',
    'Only when you deploy the Docbridge add-in for Word: the application ID of its app registration',
  );
  const proof = radioGroup<Proof>(
    'ms-credential-proof',
    'How the app proves itself',
    [
      {
        value: 'certificate',
        label: 'Certificate (preferred)',
        hint: 'A PEM file with the certificate and its private key.',
      },
      {
        value: 'clientSecret',
        label: 'Client secret',
        hint: 'The secret’s value (not its ID). Secrets expire: renew it in time.',
      },
    ],
    'certificate',
  );
  const secret = field(
    textInput('ms-credential-secret', { type: 'password', autocomplete: 'off' }),
    'Client secret value',
    'Encrypted on the server and never shown again',
  );
  const certificate = field(
    h('input', {
      class: 'file-upload',
      id: 'ms-credential-certificate',
      name: 'ms-credential-certificate',
      type: 'file',
      accept: '.pem',
    }),
    'Certificate with its private key (PEM)',
    'Encrypted on the server and never shown again',
  );
  const secretPart = h('div', { hidden: true }, secret.group);
  const certificatePart = h('div', {}, certificate.group);
  const graph = field(textInput('ms-endpoint-graph', { type: 'url', inputmode: 'url' }), 'Graph address');
  const login = field(
    textInput('ms-endpoint-login', { type: 'url', inputmode: 'url' }),
    'Sign-in authority address',
  );
  const advanced = h(
    'details',
    { class: 'details' },
    h('summary', { class: 'details__summary' }, 'National cloud endpoints'),
    h(
      'div',
      { class: 'details__text' },
      h('p', { class: 'hint' }, 'Leave empty for Microsoft’s global cloud. Set them for a national cloud.'),
      graph.group,
      login.group,
    ),
  );
  const form = h(
    'form',
    { class: 'admin-form', novalidate: true },
    h('h3', { class: 'heading-m' }, 'Add a Microsoft credential'),
    name.group,
    tenant.group,
    client.group,
    addin.group,
    proof.element,
    certificatePart,
    secretPart,
    advanced,
    h('button', { class: 'button', type: 'submit' }, 'Add Microsoft credential'),
  );
  const fields: Field<HTMLElement>[] = [name, tenant, client, addin, secret, certificate, graph, login];
  const showProof = (chosen: Proof) => {
    secretPart.hidden = chosen !== 'clientSecret';
    certificatePart.hidden = chosen !== 'certificate';
    for (const f of fields) f.clear();
  };
  proof.onChange(showProof);

  async function save() {
    for (const f of fields) f.clear();
    const values = {
      name: name.control.value.trim(),
      tenantId: tenant.control.value.trim(),
      clientId: client.control.value.trim(),
    };
    if (!values.name) return name.fail('Enter a name for the credential');
    if (!/^[A-Za-z0-9.-]{1,100}$/.test(values.tenantId))
      return tenant.fail('Enter the directory (tenant) ID, like 6e1f2a3b-…');
    if (!/^[A-Za-z0-9-]{1,100}$/.test(values.clientId))
      return client.fail('Enter the application (client) ID');
    const addinClientId = addin.control.value.trim();
    if (addinClientId && !/^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i.test(addinClientId))
      return addin.fail('Enter the add-in’s application (client) ID, a GUID like 0f9e8d7c-…');
    const chosen = proof.value();
    let secretPart: { clientSecret: string } | { certificate: string };
    if (chosen === 'clientSecret') {
      const value = secret.control.value.trim();
      if (!value) return secret.fail('Enter the client secret’s value');
      secretPart = { clientSecret: value };
    } else {
      const pem = await certificate.control.files?.[0]?.text();
      if (!pem?.includes('BEGIN CERTIFICATE') || !pem.includes('PRIVATE KEY')) {
        return certificate.fail('Choose a PEM file holding both the certificate and its private key');
      }
      secretPart = { certificate: pem };
    }
    const endpoints: NonNullable<NewMicrosoftCredential['endpoints']> = {};
    for (const [key, f] of [
      ['graph', graph],
      ['login', login],
    ] as const) {
      const value = f.control.value.trim();
      if (!value) continue;
      if (!/^https:\/\/\S+$/.test(value)) {
        advanced.open = true;
        return f.fail('Enter an address starting with https://');
      }
      endpoints[key] = value;
    }
    let fingerprint: string;
    try {
      ({ fingerprint } = await createCredential({
        provider: 'microsoft',
        ...values,
        ...(addinClientId ? { addinClientId } : {}),
        ...secretPart,
        endpoints,
      }));
    } catch (error) {
      return tenant.fail(`The credential was refused (${reason(error)})`);
    }
    form.reset();
    proof.set(chosen);
    showProof(chosen);
    announce(
      `Credential ${values.name} added. Fingerprint ${fingerprint}. The secret is not kept in this page.`,
    );
    await saved();
  }

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
