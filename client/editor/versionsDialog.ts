import { Editor, type JSONContent } from '@tiptap/core';
import { extensions } from '../../connectors/model/schema.ts';
import { ApiError } from '../shared/apiError.ts';
import {
  getVersion,
  listVersions,
  restoreVersion,
  saveVersion,
  type VersionInfo,
} from '../shared/documentApi.ts';
import { h } from '../shared/dom.ts';

export interface VersionsDialogOptions {
  documentName: string;
  /** Whether the user may save and restore versions (edit role). */
  canEdit(): boolean;
  /** Where focus goes when the dialog closes. */
  returnFocus(): void;
  /** Told after a restore, to announce it on the page (the dialog closes). */
  onRestored(title: string): void;
}

const versionTitle = (version: VersionInfo) => version.name ?? 'Automatic version';
const when = (at: number) =>
  new Date(at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const reason = (error: unknown) =>
  error instanceof ApiError ? (error.explained ? error.message : error.code) : 'unexpected error';

/**
 * Version history in a native modal `<dialog>` (focus trapped, Escape closes): save a named version, list
 * saved ones (named and automatic) page by page, preview one read-only, and restore it. Restoring is a new
 * edit made by the server, so every connected editor sees it arrive like anyone's typing. Results are
 * announced in a polite live region.
 */
export function createVersionsDialog(host: HTMLElement, options: VersionsDialogOptions) {
  const dialog = h('dialog', { class: 'dialog dialog--wide', 'aria-labelledby': 'versions-title' });
  host.append(dialog);
  dialog.addEventListener('close', () => {
    preview?.destroy();
    preview = null;
    options.returnFocus();
  });
  const status = h('p', { class: 'notice', role: 'status' });
  const listHost = h('div');
  const previewHost = h('div', { class: 'version-preview' });
  let preview: Editor | null = null;
  let versions: VersionInfo[] = [];
  let next: number | null = null;

  const nameInput = h('input', {
    class: 'input',
    id: 'version-name',
    type: 'text',
    maxlength: '200',
    autocomplete: 'off',
  });
  const nameError = h('p', { class: 'error-message', id: 'version-name-error', hidden: true });
  const saveForm = h(
    'form',
    { class: 'version-save', novalidate: true },
    h('label', { class: 'label label--bold', for: 'version-name' }, 'Name for a new version'),
    h('p', { class: 'hint', id: 'version-name-hint' }, 'For example, “Sent to finance”'),
    nameError,
    nameInput,
    h('button', { class: 'button button--small', type: 'submit' }, 'Save version'),
  );
  nameInput.setAttribute('aria-describedby', 'version-name-hint');
  saveForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const label = nameInput.value.trim();
    if (!label) {
      nameError.replaceChildren(
        h('span', { class: 'visually-hidden' }, 'Error: '),
        'Enter a name for the version',
      );
      nameError.hidden = false;
      nameInput.setAttribute('aria-describedby', 'version-name-error version-name-hint');
      nameInput.focus();
      return;
    }
    try {
      await saveVersion(options.documentName, label);
      nameInput.value = '';
      nameError.hidden = true;
      status.textContent = `Version “${label}” saved.`;
      await load(true);
    } catch (error) {
      status.textContent = `The version could not be saved (${reason(error)}).`;
    }
  });

  const close = h('button', { class: 'button button--secondary button--small', type: 'button' }, 'Close');
  close.addEventListener('click', () => dialog.close());

  async function load(reset: boolean) {
    try {
      const page = await listVersions(options.documentName, reset ? null : next);
      versions = reset ? page.versions : [...versions, ...page.versions];
      next = page.next;
      renderList();
    } catch (error) {
      listHost.replaceChildren(h('p', { class: 'body' }, `Versions could not be loaded (${reason(error)}).`));
    }
  }

  function renderList() {
    if (versions.length === 0) {
      listHost.replaceChildren(h('p', { class: 'body' }, 'No versions saved yet.'));
      return;
    }
    const rows = versions.map((version) => {
      const title = versionTitle(version);
      const view = h(
        'button',
        { class: 'button button--secondary button--small', type: 'button' },
        'Preview',
        h('span', { class: 'visually-hidden' }, ` ${title}, ${when(version.createdAt)}`),
      );
      view.addEventListener('click', () => void showPreview(version));
      return h(
        'tr',
        { class: 'table__row', 'data-version': String(version.id) },
        h('td', { class: 'table__cell' }, title),
        h(
          'td',
          { class: 'table__cell' },
          when(version.createdAt),
          version.createdBy ? h('span', { class: 'table__secondary' }, version.createdBy) : null,
        ),
        h('td', { class: 'table__cell table__cell--actions' }, view),
      );
    });
    const more = next
      ? h(
          'button',
          { class: 'button button--secondary button--small', type: 'button' },
          'Show older versions',
        )
      : null;
    more?.addEventListener('click', () => void load(false));
    listHost.replaceChildren(
      h(
        'table',
        { class: 'table' },
        h('caption', { class: 'table__caption heading-m' }, 'Saved versions'),
        h(
          'thead',
          {},
          h(
            'tr',
            { class: 'table__row' },
            h('th', { class: 'table__header', scope: 'col' }, 'Version'),
            h('th', { class: 'table__header', scope: 'col' }, 'Saved'),
            h(
              'th',
              { class: 'table__header', scope: 'col' },
              h('span', { class: 'visually-hidden' }, 'Actions'),
            ),
          ),
        ),
        h('tbody', {}, ...rows),
      ),
      ...(more ? [more] : []),
    );
  }

  async function showPreview(version: VersionInfo) {
    const title = versionTitle(version);
    let content: JSONContent;
    try {
      content = (await getVersion(options.documentName, version.id)).content as JSONContent;
    } catch (error) {
      status.textContent = `The version could not be opened (${reason(error)}).`;
      return;
    }
    preview?.destroy();
    const surface = h('div', { class: 'editor-surface' });
    preview = new Editor({
      element: surface,
      injectCSS: false,
      editable: false,
      extensions,
      content,
      editorProps: {
        attributes: {
          class: 'document document--preview',
          role: 'document',
          'aria-label': `Preview of ${title}`,
        },
      },
    });
    const heading = h(
      'h3',
      { class: 'heading-m', tabindex: '-1' },
      `Preview: ${title}, ${when(version.createdAt)}`,
    );
    const actions = h('div', { class: 'button-group' });
    if (options.canEdit()) {
      const restore = h('button', { class: 'button button--small', type: 'button' }, 'Restore this version');
      restore.addEventListener('click', () => confirmRestore(version, actions));
      actions.append(restore);
    }
    previewHost.replaceChildren(heading, surface, actions);
    heading.focus();
  }

  function confirmRestore(version: VersionInfo, actions: HTMLElement) {
    const title = versionTitle(version);
    const yes = h(
      'button',
      { class: 'button button--warning button--small', type: 'button' },
      `Yes, restore “${title}”`,
    );
    const no = h('button', { class: 'button button--secondary button--small', type: 'button' }, 'Cancel');
    const question = h(
      'p',
      { class: 'body' },
      'The document will change to this version for everyone editing it. The current text is saved as an automatic version first, so nothing is lost.',
    );
    actions.replaceChildren(question, yes, no);
    yes.focus();
    no.addEventListener('click', () => void showPreview(version));
    yes.addEventListener('click', async () => {
      yes.disabled = true;
      try {
        await restoreVersion(options.documentName, version.id);
        previewHost.replaceChildren();
        dialog.close();
        options.onRestored(title);
      } catch (error) {
        status.textContent = `The version could not be restored (${reason(error)}).`;
        yes.disabled = false;
      }
    });
  }

  return {
    /** Opens the dialog; `focusSave` puts focus in the "name a version" field. */
    async open(focusSave = false) {
      saveForm.hidden = !options.canEdit();
      status.textContent = '';
      previewHost.replaceChildren();
      dialog.replaceChildren(
        h('h2', { class: 'heading-l', id: 'versions-title' }, 'Version history'),
        status,
        saveForm,
        listHost,
        previewHost,
        h('div', { class: 'button-group' }, close),
      );
      if (!dialog.open) dialog.showModal();
      if (focusSave && options.canEdit()) nameInput.focus();
      else close.focus();
      await load(true);
    },
  };
}
