import { ApiError } from '../shared/apiError.ts';
import { h } from '../shared/dom.ts';

/** A labelled form field with its hint and error message, wired with `aria-describedby`. */
export interface Field<T extends HTMLElement> {
  group: HTMLElement;
  control: T;
  /** Shows `message` as the field's error (GOV.UK pattern) and focuses the control. */
  fail(message: string): void;
  clear(): void;
}

/** Wraps `control` (which must carry an `id`) in a form group with a label, an optional hint and an error. */
export function field<T extends HTMLElement>(control: T, label: string, hint?: string): Field<T> {
  const id = control.id;
  const error = h('p', { class: 'error-message', id: `${id}-error`, hidden: true });
  const hintElement = hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null;
  const group = h(
    'div',
    { class: 'form-group' },
    h('label', { class: 'label label--bold', for: id }, label),
    hintElement,
    error,
    control,
  );
  const described = (withError: boolean) =>
    [withError ? error.id : null, hintElement?.id].filter(Boolean).join(' ');
  if (hintElement) control.setAttribute('aria-describedby', described(false));
  return {
    group,
    control,
    fail(message) {
      error.replaceChildren(h('span', { class: 'visually-hidden' }, 'Error: '), message);
      error.hidden = false;
      group.classList.add('form-group--error');
      control.setAttribute('aria-describedby', described(true));
      control.setAttribute('aria-invalid', 'true');
      control.focus();
    },
    clear() {
      error.hidden = true;
      group.classList.remove('form-group--error');
      control.removeAttribute('aria-invalid');
      if (hintElement) control.setAttribute('aria-describedby', described(false));
      else control.removeAttribute('aria-describedby');
    },
  };
}

/** A text input with an id and name. */
export function textInput(id: string, attrs: Record<string, string | boolean> = {}): HTMLInputElement {
  return h('input', {
    class: 'input',
    id,
    name: id,
    type: 'text',
    autocomplete: 'off',
    spellcheck: 'false',
    ...attrs,
  });
}

/** The server's explanation of a failed call, else its stable code. */
export function reason(error: unknown): string {
  if (error instanceof ApiError) return error.explained ? `${error.code}: ${error.message}` : error.code;
  return 'unexpected error';
}

/** A date and time, short and local. */
export function when(at: number | null): string {
  if (at === null) return 'Never';
  return new Date(at).toLocaleString(undefined, {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

/** A small secondary button whose accessible name ends with `context` (which row it acts on). */
export function rowButton(label: string, context: string, warning = false): HTMLButtonElement {
  return h(
    'button',
    { class: `button button--small ${warning ? 'button--warning' : 'button--secondary'}`, type: 'button' },
    label,
    h('span', { class: 'visually-hidden' }, ` ${context}`),
  );
}
