import { ApiError } from '../shared/apiError.ts';
import { h } from '../shared/dom.ts';
import { type CredentialField, createCredential, type SuiteInfo } from './adminApi.ts';
import { type Field, field, radioGroup, reason, textInput } from './formParts.ts';

/** A field that failed has already shown its error and taken focus: the submission stops there. */
const FAILED = Symbol('failed');

/** One input of the form: the suite's description of it and its control. */
interface Input {
  spec: CredentialField;
  field: Field<HTMLInputElement>;
}

const kebab = (name: string) => name.replace(/[.]/g, '-').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** "a Google credential", "an Entra credential". */
const article = (word: string) => (/^[AEIOU]/i.test(word) ? `an ${word}` : `a ${word}`);

/** "Client ID" -> "client ID", "OAuth client" stays: for messages that name a field mid-sentence. */
const inSentence = (label: string) =>
  /^[A-Z][a-z]/.test(label) ? label[0]!.toLowerCase() + label.slice(1) : label;

/** The control a field's kind asks for: secrets are password inputs the browser neither fills nor remembers. */
function control(id: string, spec: CredentialField): HTMLInputElement {
  switch (spec.kind) {
    case 'json-file':
    case 'pem-file':
      return h('input', {
        class: 'file-upload',
        id,
        name: id,
        type: 'file',
        accept: spec.kind === 'json-file' ? '.json,application/json' : '.pem',
      });
    case 'secret':
      return textInput(id, { type: 'password', autocomplete: 'off' });
    case 'email':
      return textInput(id, { type: 'email' });
    case 'url':
      return textInput(id, { type: 'url', inputmode: 'url' });
    default:
      return textInput(id);
  }
}

/** Puts `value` at a dotted path (`oauth.clientId`) of `body`. */
function setPath(body: Record<string, unknown>, path: string, value: unknown) {
  const keys = path.split('.');
  let at = body;
  for (const key of keys.slice(0, -1)) {
    at[key] ??= {};
    at = at[key] as Record<string, unknown>;
  }
  at[keys.at(-1)!] = value;
}

/**
 * The form that registers a credential of one suite, built from nothing but what `GET /api/suites` says of it
 * (`credential.fields`, its `choice` of alternatives and which fields are advanced), so a new suite gets its
 * form without a line here. A name, then the suite's fields; alternatives (a key file or an OAuth grant) are a
 * radio group that shows only the chosen one's fields; rarely needed fields sit in an "Advanced settings"
 * disclosure. Secrets are read in the browser, sent once and forgotten: password inputs the browser does not
 * fill or remember, files read here, the form emptied after saving, and only the fingerprint the server
 * answers shown. Errors show beside their field (GOV.UK pattern), the server's too when it names the field;
 * outcomes go to `announce`, the page's live region.
 */
export function credentialForm(
  suite: SuiteInfo,
  announce: (text: string) => void,
  saved: () => Promise<void>,
): HTMLFormElement {
  const { owner, choice, advancedHint } = suite.credential;
  const prefix = `credential-${suite.provider}`;
  const name = field(
    textInput(`${prefix}-name`, { maxlength: '100' }),
    'Credential name',
    'So you can tell credentials apart, for example “Policy unit”',
  );
  const inputs: Input[] = suite.credential.fields.map((spec) => ({
    spec,
    field: field(
      control(`${prefix}-${kebab(spec.name)}`, spec),
      spec.optional ? `${spec.label} (optional)` : spec.label,
      spec.hint,
    ),
  }));
  const groups = (filter: (spec: CredentialField) => boolean) =>
    inputs.filter((input) => filter(input.spec)).map((input) => input.field.group);
  const options =
    choice?.options.map((option) => ({
      value: option.value,
      part: h('div', {}, ...groups((spec) => spec.option === option.value && !spec.advanced)),
    })) ?? [];
  const radios = choice
    ? radioGroup(`${prefix}-choice`, choice.legend, choice.options, choice.options[0]!.value)
    : null;
  const advancedGroups = groups((spec) => !!spec.advanced);
  const advanced = advancedGroups.length
    ? h(
        'details',
        { class: 'details' },
        h('summary', { class: 'details__summary' }, 'Advanced settings'),
        h(
          'div',
          { class: 'details__text' },
          advancedHint ? h('p', { class: 'hint' }, advancedHint) : null,
          ...advancedGroups,
        ),
      )
    : null;
  const form = h(
    'form',
    { class: 'admin-form', novalidate: true, 'data-provider': suite.provider },
    h('h3', { class: 'heading-m' }, `Add ${article(owner)} credential`),
    name.group,
    ...groups((spec) => !spec.option && !spec.advanced),
    radios?.element ?? null,
    ...options.map((option) => option.part),
    advanced,
    h('button', { class: 'button', type: 'submit' }, `Add ${owner} credential`),
  );

  const chosen = () => radios?.value();
  const shown = (spec: CredentialField) => !spec.option || spec.option === chosen();
  /** Shows the chosen alternative's fields; hidden fields leave the tab order and the accessibility tree. */
  const showChoice = () => {
    for (const option of options) option.part.hidden = option.value !== chosen();
    for (const input of inputs) {
      input.field.group.hidden = !shown(input.spec);
      input.field.clear();
    }
  };
  radios?.onChange(showChoice);
  showChoice();

  const fail = (input: Input, message: string): typeof FAILED => {
    if (input.spec.advanced && advanced) advanced.open = true;
    input.field.fail(message);
    return FAILED;
  };

  /** The value of one shown field as the API takes it, undefined when an optional one is left empty. */
  async function read(input: Input): Promise<unknown> {
    const { spec, field: f } = input;
    const label = inSentence(spec.label);
    if (spec.kind === 'json-file' || spec.kind === 'pem-file') {
      const file = f.control.files?.[0];
      if (!file) return spec.optional ? undefined : fail(input, `Choose the ${label}`);
      const text = await file.text();
      if (spec.kind === 'pem-file')
        return text.includes('-----BEGIN ') ? text : fail(input, `The file is not PEM. Choose the ${label}`);
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return fail(input, `The file is not JSON. Choose the ${label}`);
      }
    }
    // Only whitespace around a value (left by copying) is dropped: no id, secret or token holds any.
    const value = f.control.value.trim();
    if (!value) return spec.optional ? undefined : fail(input, `Enter the ${label}`);
    if (spec.kind === 'email' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value))
      return fail(input, 'Enter an email address, like docbridge@department.gov.uk');
    if (spec.kind === 'url' && !/^https?:\/\/\S+$/.test(value))
      return fail(input, 'Enter an address starting with https:// (or http:// for a local emulator)');
    return value;
  }

  /** Validates the form, registers the credential and empties the form; errors show beside their field. */
  async function save() {
    name.clear();
    for (const input of inputs) input.field.clear();
    const credentialName = name.control.value.trim();
    if (!credentialName) return name.fail('Enter a name for the credential');
    const body: Record<string, unknown> = {};
    const sentSecrets: string[] = [];
    const active = inputs.filter((input) => shown(input.spec));
    for (const input of active) {
      const value = await read(input);
      if (value === FAILED) return;
      if (value === undefined) continue;
      setPath(body, input.spec.name, value);
      if (!['text', 'email', 'url'].includes(input.spec.kind)) sentSecrets.push(inSentence(input.spec.label));
    }
    let fingerprint: string;
    try {
      ({ fingerprint } = await createCredential({ provider: suite.provider, name: credentialName, body }));
    } catch (error) {
      // The server names the property at fault when it can (`serviceAccountKey.client_email` is the key file's).
      const at = error instanceof ApiError ? error.field : undefined;
      const named = at
        ? active.find(({ spec }) => at === spec.name || at.startsWith(`${spec.name}.`))
        : undefined;
      const target = named ?? active.find(({ spec }) => spec.option) ?? active[0];
      const message = `The credential was refused (${reason(error)})`;
      return target ? fail(target, message) : name.fail(message);
    }
    const kept = chosen();
    form.reset();
    if (radios && kept) radios.set(kept);
    showChoice();
    const secrets = sentSecrets.length
      ? ` The ${sentSecrets.join(' and ')} ${sentSecrets.length > 1 ? 'are' : 'is'} not kept in this page.`
      : '';
    announce(`Credential ${credentialName} added. Fingerprint ${fingerprint}.${secrets}`);
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
