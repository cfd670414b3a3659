import type { Editor } from '@tiptap/core';
import { h } from '../shared/dom.ts';
import { safeImageSrc, safeLinkHref } from './safeLink.ts';

interface Field {
  name: string;
  label: string;
  hint?: string;
  value: string;
}

interface FormDialog {
  open(fields: Field[], options: { title: string; submit: string; remove?: string }): void;
}

/**
 * One native modal `<dialog>` reused for the link and image forms: the browser traps focus in it, Escape
 * closes it, and focus returns to the editor afterwards. Validation errors follow the GOV.UK error pattern
 * (message linked to the field with aria-describedby).
 */
function createFormDialog(
  host: HTMLElement,
  editor: Editor,
  onSubmit: (values: Record<string, string>, action: 'submit' | 'remove') => string | null,
): FormDialog {
  const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': 'dialog-title' });
  host.append(dialog);
  dialog.addEventListener('close', () => editor.commands.focus());
  return {
    open(fields, options) {
      const form = h('form', { method: 'dialog', novalidate: true });
      const title = h('h2', { class: 'heading-m', id: 'dialog-title' }, options.title);
      const inputs = fields.map((field) => {
        const id = `dialog-${field.name}`;
        const input = h('input', {
          class: 'input',
          id,
          name: field.name,
          type: 'text',
          autocomplete: 'off',
          spellcheck: 'false',
        });
        input.value = field.value;
        const error = h('p', { class: 'error-message', id: `${id}-error`, hidden: true });
        const group = h(
          'div',
          { class: 'form-group' },
          h('label', { class: 'label', for: id }, field.label),
          field.hint ? h('p', { class: 'hint', id: `${id}-hint` }, field.hint) : null,
          error,
          input,
        );
        if (field.hint) input.setAttribute('aria-describedby', `${id}-hint`);
        return { input, error, group };
      });
      const submit = h('button', { class: 'button', type: 'submit', value: 'submit' }, options.submit);
      const cancel = h('button', { class: 'button button--secondary', type: 'button' }, 'Cancel');
      cancel.addEventListener('click', () => dialog.close());
      const actions = h('div', { class: 'button-group' }, submit);
      if (options.remove) {
        const remove = h('button', { class: 'button button--warning', type: 'button' }, options.remove);
        remove.addEventListener('click', () => {
          onSubmit({}, 'remove');
          dialog.close();
        });
        actions.append(remove);
      }
      actions.append(cancel);
      form.append(title, ...inputs.map((i) => i.group), actions);
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        const values = Object.fromEntries(inputs.map(({ input }) => [input.name, input.value.trim()]));
        const problem = onSubmit(values, 'submit');
        const first = inputs[0]!;
        if (problem) {
          first.error.replaceChildren(h('span', { class: 'visually-hidden' }, 'Error: '), problem);
          first.error.hidden = false;
          first.group.classList.add('form-group--error');
          first.input.setAttribute('aria-describedby', first.error.id);
          first.input.focus();
          return;
        }
        dialog.close();
      });
      dialog.replaceChildren(form);
      dialog.showModal();
      inputs[0]?.input.focus();
    },
  };
}

/** The link and image dialogs of one editor. Unsafe targets (`javascript:` and friends) are refused. */
export function createEditorDialogs(host: HTMLElement, editor: Editor) {
  const link = createFormDialog(host, editor, (values, action) => {
    if (action === 'remove') {
      editor.chain().focus().extendMarkRange('link').unsetLink().run();
      return null;
    }
    const href = safeLinkHref(values.href ?? '');
    if (!href)
      return 'Enter a web address like https://www.example.org, or an email address like mailto:name@example.org';
    const chain = editor.chain().focus().extendMarkRange('link');
    if (editor.state.selection.empty && !editor.isActive('link')) {
      chain.insertContent({ type: 'text', text: href, marks: [{ type: 'link', attrs: { href } }] }).run();
    } else chain.setLink({ href }).run();
    return null;
  });
  const image = createFormDialog(host, editor, (values) => {
    const src = safeImageSrc(values.src ?? '');
    if (!src) return 'Enter the image’s web address, starting with https://';
    editor
      .chain()
      .focus()
      .setImage({ src, alt: values.alt ?? '' })
      .run();
    return null;
  });
  return {
    openLink() {
      const current = editor.getAttributes('link').href;
      link.open(
        [
          {
            name: 'href',
            label: 'Link address',
            hint: 'For example, https://www.gov.uk',
            value: typeof current === 'string' ? current : '',
          },
        ],
        {
          title: editor.isActive('link') ? 'Edit link' : 'Add a link',
          submit: 'Apply link',
          remove: editor.isActive('link') ? 'Remove link' : undefined,
        },
      );
    },
    openImage() {
      image.open(
        [
          { name: 'src', label: 'Image address', hint: 'A web address starting with https://', value: '' },
          {
            name: 'alt',
            label: 'Describe the image',
            hint: 'Alternative text for people who cannot see it',
            value: '',
          },
        ],
        { title: 'Insert an image', submit: 'Insert image' },
      );
    },
  };
}
