import { ApiError } from '../shared/apiError.ts';
import { importDocument } from '../shared/documentApi.ts';
import { h } from '../shared/dom.ts';

/** Plain-words reasons for the import refusals people can act on. */
const reasons: Record<string, string> = {
  'file-too-large': 'The file is larger than 10 MB.',
  'unsupported-format':
    'Choose a Word (.docx), OpenDocument (.odt), Markdown (.md) or web page (.html) file.',
  'document-not-granted': 'You cannot create documents here.',
};

function describe(error: unknown): string {
  if (!(error instanceof ApiError)) return 'The file could not be imported.';
  if (error.code === 'invalid-file')
    return `The file could not be read (${error.detail ?? 'unreadable'}). Check it opens in its own application.`;
  return reasons[error.code] ?? `The file could not be imported (${error.code}).`;
}

/**
 * "Import a document": a file input for .docx, .odt, .md and .html files; the server converts the file into
 * a new document, which then opens. Errors follow the GOV.UK pattern (message linked to the field, focus on
 * it), with the converter's stable code for support.
 */
export function importForm(): HTMLElement {
  const input = h('input', {
    class: 'file-upload',
    id: 'import-file',
    name: 'file',
    type: 'file',
    accept: '.docx,.odt,.md,.markdown,.html,text/markdown,text/html',
    'aria-describedby': 'import-file-hint',
  });
  const error = h('p', { class: 'error-message', id: 'import-file-error', hidden: true });
  const group = h(
    'div',
    { class: 'form-group' },
    h('label', { class: 'label label--bold', for: 'import-file' }, 'Import a file as a new document'),
    h(
      'p',
      { class: 'hint', id: 'import-file-hint' },
      'Word (.docx), OpenDocument (.odt), Markdown (.md) or web page (.html), up to 10 MB',
    ),
    error,
    input,
  );
  const status = h('p', { class: 'notice', role: 'status' });
  const submit = h('button', { class: 'button button--secondary', type: 'submit' }, 'Import document');
  const form = h(
    'form',
    { class: 'create-form', novalidate: true },
    h('h2', { class: 'heading-m' }, 'Import a document'),
    group,
    submit,
    status,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const fail = (message: string) => {
      error.replaceChildren(h('span', { class: 'visually-hidden' }, 'Error: '), message);
      error.hidden = false;
      group.classList.add('form-group--error');
      input.setAttribute('aria-describedby', 'import-file-error import-file-hint');
      status.textContent = '';
      input.focus();
    };
    const file = input.files?.[0];
    if (!file) return fail('Choose a file to import');
    submit.disabled = true;
    status.textContent = `Importing ${file.name}…`;
    try {
      const created = await importDocument(file);
      status.textContent = `Imported ${file.name}. Opening it…`;
      location.assign(`/d/${created.name}`);
    } catch (failure) {
      fail(describe(failure));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}
