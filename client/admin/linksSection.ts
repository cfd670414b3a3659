import { type DocumentSummary, listDocuments } from '../shared/api.ts';
import { ApiError } from '../shared/apiError.ts';
import { h } from '../shared/dom.ts';
import {
  type Credential,
  createLink,
  deleteLink,
  type Link,
  listCredentials,
  listLinks,
  listSuites,
  resyncLink,
  type SuiteInfo,
} from './adminApi.ts';
import { field, reason, rowButton, textInput, when } from './formParts.ts';
import { remoteKind } from './remoteUrl.ts';

/** How often the links table refreshes its statuses while the page is visible. */
const POLL_MS = 5000;

const statusText: Record<string, string> = {
  linking: 'Linking',
  pulling: 'Syncing (from the remote)',
  pushing: 'Syncing (to the remote)',
  synced: 'Synced',
  error: 'Retrying',
  quarantined: 'Needs attention',
  paused: 'Paused',
};
const statusTag: Record<string, string> = {
  synced: 'tag--green',
  error: 'tag--yellow',
  quarantined: 'tag--red',
};
/** Which side wins when both hold text, naming the remote file as its suite does (`Google Doc`). */
const initialChoices = (noun: string) =>
  [
    { value: 'remote', label: `The ${noun}’s text replaces the Docbridge document’s` },
    { value: 'local', label: `The Docbridge document’s text replaces the ${noun}’s` },
    { value: 'merge', label: 'Keep both texts' },
  ] as const;

export interface LinksSection {
  element: HTMLElement;
  refresh(): Promise<unknown>;
  /** Reloads the document and credential choices of the form (after a credential was added or deleted). */
  reloadChoices(): Promise<void>;
}

/**
 * Linked documents of the tenant: status (refreshed every five seconds while visible, changes announced),
 * last error, last sync, Resync and Unlink; and a form that links a document to a remote file from its
 * address, naming the suites from `GET /api/suites`. OneDrive and SharePoint addresses are recognised and
 * answered plainly while no suite claims them. When both sides already hold text, the server answers 409 and the form asks which side wins, then
 * sends the choice as `initial`.
 */
export function linksSection(announce: (text: string) => void): LinksSection {
  const listHost = h('div');
  const docSelect = h('select', { class: 'select', id: 'link-doc', name: 'link-doc' });
  const credentialSelect = h('select', { class: 'select', id: 'link-credential', name: 'link-credential' });
  const doc = field(docSelect, 'Document');
  const credential = field(
    credentialSelect,
    'Credential',
    'The credential that has access to the remote file',
  );
  // Label and hint name the suite once `GET /api/suites` has answered (see `describeSuites`).
  const url = field(
    textInput('link-url', { type: 'url', inputmode: 'url' }),
    'Address of the remote file',
    'Paste it from the browser',
  );
  const choiceHost = h('div');
  const submit = h('button', { class: 'button', type: 'submit' }, 'Link document');
  const form = h(
    'form',
    { class: 'admin-form', novalidate: true },
    h('h3', { class: 'heading-m' }, 'Link a document'),
    doc.group,
    credential.group,
    url.group,
    choiceHost,
    submit,
  );
  const element = h(
    'section',
    { class: 'admin-section', 'aria-labelledby': 'links-title' },
    h('h2', { class: 'heading-l', id: 'links-title' }, 'Linked documents'),
    listHost,
    form,
  );
  let titles = new Map<string, string>();
  let lastStatuses = new Map<string, string>();
  let suites: SuiteInfo[] = [];
  let credentialList: Credential[] = [];
  const suiteOf = (provider: string | undefined) => suites.find((suite) => suite.provider === provider);
  /** The suite of the credential chosen in the form (the only suite when there is one). */
  const chosenSuite = () =>
    suiteOf(credentialList.find((c) => c.id === credentialSelect.value)?.provider) ??
    (suites.length === 1 ? suites[0] : undefined);
  const noun = (suite: SuiteInfo | undefined) => suite?.url.noun ?? 'remote file';

  /** Names the suite in the address field once the server said which suites it speaks. */
  function describeSuites() {
    const suite = chosenSuite();
    const label = url.group.querySelector('label');
    const hint = url.group.querySelector('.hint');
    if (label) label.textContent = `Address of the ${noun(suite)}`;
    if (hint)
      hint.textContent = suite
        ? `Paste it from the browser, for example ${suite.url.example}`
        : 'Paste it from the browser';
  }
  credentialSelect.addEventListener('change', describeSuites);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    for (const f of [doc, credential, url]) f.clear();
    if (!docSelect.value) return doc.fail('Create a document first, on the documents page');
    if (!credentialSelect.value) return credential.fail('Add a credential first');
    const address = url.control.value.trim();
    const kind = remoteKind(address, suites);
    const suite = chosenSuite();
    const expected = () =>
      suite
        ? `Enter a ${suite.label} address, like ${suite.url.example}`
        : 'Enter the address of the remote file';
    if (kind === 'empty') return url.fail(`Enter the address of the ${noun(suite)}`);
    if (kind === 'microsoft' && !suites.some((s) => s.provider === 'microsoft'))
      return url.fail(
        `Microsoft connector not available yet: only ${suites.map((s) => s.label).join(', ')} can be linked for now`,
      );
    const other = suites.find((s) => s.provider === kind);
    if (other && other !== suite)
      return url.fail(`That is a ${other.url.noun} address: choose a ${other.label} credential for it`);
    if (kind !== suite?.provider) return url.fail(expected());
    const initial = form.querySelector<HTMLInputElement>('input[name="initial"]:checked')?.value as
      | 'remote'
      | 'local'
      | 'merge'
      | undefined;
    if (choiceHost.childElementCount && !initial) {
      const first = form.querySelector<HTMLInputElement>('input[name="initial"]');
      first?.focus();
      announce('Choose which text wins, then link the document again.');
      return;
    }
    submit.disabled = true;
    try {
      await createLink({
        doc: docSelect.value,
        credential: credentialSelect.value,
        url: address,
        ...(initial ? { initial } : {}),
      });
      const title = titles.get(docSelect.value) ?? docSelect.value;
      url.control.value = '';
      choiceHost.replaceChildren();
      submit.textContent = 'Link document';
      const created = (await refresh(true)).find(
        (link) => link.doc === docSelect.value && link.remoteUrl === address,
      );
      announce(`${title} linked: ${statusText[created?.status ?? 'linking'] ?? created?.status}.`);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'both-not-empty') askInitial();
      else if (error instanceof ApiError && error.code === suite.url.invalidError) url.fail(expected());
      else if (error instanceof ApiError && error.code === 'link-exists')
        url.fail(`This document is already linked to that ${noun(suite)}`);
      else url.fail(`The document could not be linked (${reason(error)})`);
    } finally {
      submit.disabled = false;
    }
  });

  function askInitial() {
    const radios = initialChoices(noun(chosenSuite())).map(({ value, label }) =>
      h(
        'div',
        { class: 'radios__item' },
        h('input', { class: 'radios__input', type: 'radio', id: `initial-${value}`, name: 'initial', value }),
        h('label', { class: 'label radios__label', for: `initial-${value}` }, label),
      ),
    );
    const fieldset = h(
      'fieldset',
      { class: 'fieldset form-group form-group--error', 'aria-describedby': 'initial-hint' },
      h('legend', { class: 'fieldset__legend' }, 'Both documents already hold text. Which should win?'),
      h(
        'p',
        { class: 'hint', id: 'initial-hint' },
        'Nothing is linked until you choose. “Keep both” puts the two texts one after the other.',
      ),
      h('div', { class: 'radios' }, ...radios),
    );
    choiceHost.replaceChildren(fieldset);
    submit.textContent = 'Link with this choice';
    announce('Both documents already hold text. Choose which text wins, then link again.');
    fieldset.querySelector<HTMLInputElement>('input')?.focus();
  }

  /** Reloads the table and announces status changes (`quiet`: the caller announces them itself). */
  async function refresh(quiet = false): Promise<Link[]> {
    let links: Link[];
    try {
      links = await listLinks();
    } catch (error) {
      listHost.replaceChildren(h('p', { class: 'body' }, `Links could not be loaded (${reason(error)}).`));
      return [];
    }
    const changes = links
      .filter((link) => !quiet && lastStatuses.has(link.id) && lastStatuses.get(link.id) !== link.status)
      .map((link) => `${titles.get(link.doc) ?? link.doc}: ${statusText[link.status] ?? link.status}`);
    lastStatuses = new Map(links.map((link) => [link.id, link.status]));
    if (changes.length) announce(changes.join('. '));
    renderList(links);
    return links;
  }

  function renderList(links: Link[]) {
    const focused = document.activeElement?.closest('tr')?.getAttribute('data-link');
    if (links.length === 0) {
      listHost.replaceChildren(h('p', { class: 'body' }, 'No document is linked yet.'));
      return;
    }
    const rows = links.map((link) => {
      const title = titles.get(link.doc) ?? link.doc;
      const resync = rowButton('Resync', title);
      const unlink = rowButton('Unlink', title, true);
      resync.addEventListener('click', async () => {
        try {
          await resyncLink(link.id);
          announce(`${title}: resync started.`);
        } catch (error) {
          announce(`${title} could not be resynced (${reason(error)}).`);
        }
        await refresh();
      });
      unlink.addEventListener('click', async () => {
        try {
          await deleteLink(link.id);
          announce(
            `${title} unlinked. Its text stays in Docbridge and in the ${noun(suiteOf(link.provider))}.`,
          );
          await refresh();
          element.querySelector<HTMLElement>('h2')?.focus();
        } catch (error) {
          announce(`${title} could not be unlinked (${reason(error)}).`);
        }
      });
      const remote = link.remoteUrl;
      return h(
        'tr',
        { class: 'table__row', 'data-link': link.id, 'data-status': link.status },
        h(
          'td',
          { class: 'table__cell' },
          h('a', { class: 'link', href: `/d/${link.doc}` }, title),
          h('span', { class: 'table__secondary' }, link.doc),
        ),
        h(
          'td',
          { class: 'table__cell' },
          remote
            ? h(
                'a',
                { class: 'link', href: remote, target: '_blank', rel: 'noopener noreferrer' },
                noun(suiteOf(link.provider)),
                h('span', { class: 'visually-hidden' }, ` of ${title} (opens in a new tab)`),
              )
            : link.remoteId,
        ),
        h(
          'td',
          { class: 'table__cell' },
          h(
            'span',
            { class: `tag ${statusTag[link.status] ?? ''}`, 'data-link-status': link.status },
            statusText[link.status] ?? link.status,
          ),
          link.statusDetail ? h('span', { class: 'table__secondary' }, link.statusDetail) : null,
        ),
        h('td', { class: 'table__cell table__cell--wrap' }, link.lastError ?? 'None'),
        h('td', { class: 'table__cell' }, when(link.lastSyncedAt)),
        h(
          'td',
          { class: 'table__cell table__cell--actions' },
          h('div', { class: 'button-group button-group--end' }, resync, unlink),
        ),
      );
    });
    listHost.replaceChildren(
      h(
        'table',
        { class: 'table' },
        h('caption', { class: 'visually-hidden' }, 'Documents linked to remote files'),
        h(
          'thead',
          {},
          h(
            'tr',
            { class: 'table__row' },
            ...['Document', 'Remote file', 'Status', 'Last error', 'Last synced'].map((t) =>
              h('th', { class: 'table__header', scope: 'col' }, t),
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
    if (focused)
      listHost.querySelector<HTMLElement>(`tr[data-link="${CSS.escape(focused)}"] button`)?.focus();
  }

  async function reloadChoices() {
    const [documents, credentials, known] = await Promise.all([
      listDocuments().catch((): DocumentSummary[] => []),
      listCredentials().catch((): Credential[] => []),
      listSuites().catch((): SuiteInfo[] => []),
    ]);
    suites = known;
    credentialList = credentials;
    titles = new Map(documents.map((d) => [d.name, d.title]));
    const keep = (select: HTMLSelectElement, options: HTMLOptionElement[]) => {
      const previous = select.value;
      select.replaceChildren(...options);
      if (options.some((o) => o.value === previous)) select.value = previous;
    };
    keep(
      docSelect,
      documents.map((d) => h('option', { value: d.name }, `${d.title} (${d.name})`)),
    );
    keep(
      credentialSelect,
      credentials.map((c) =>
        h('option', { value: c.id }, `${c.name} (${c.summary?.account || c.fingerprint})`),
      ),
    );
    describeSuites();
  }

  // Poll while visible; the first refresh comes from the page once the choices are loaded.
  window.setInterval(() => {
    if (document.visibilityState === 'visible') void refresh();
  }, POLL_MS);

  return { element, refresh, reloadChoices };
}
