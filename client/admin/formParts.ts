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

/** A choice between a few options, shown as native radios in a named fieldset. */
export interface RadioGroup<V extends string> {
  element: HTMLFieldSetElement;
  value(): V;
  set(value: V): void;
  /** Calls `listener` whenever the person picks another option (keyboard arrows or pointer). */
  onChange(listener: (value: V) => void): void;
}

/**
 * Native radio buttons sharing `name`, grouped by a fieldset whose legend names the group, each option with
 * its optional hint wired by `aria-describedby`. Native radios give the keyboard behaviour screen reader
 * users expect (Tab into the group, arrows to choose) without any script.
 */
export function radioGroup<V extends string>(
  name: string,
  legend: string,
  choices: readonly { value: V; label: string; hint?: string }[],
  initial: V,
): RadioGroup<V> {
  const inputs = choices.map(({ value }) =>
    h('input', {
      class: 'radios__input',
      type: 'radio',
      id: `${name}-${value}`,
      name,
      value,
      checked: value === initial,
      'aria-describedby': choices.find((choice) => choice.value === value)?.hint
        ? `${name}-${value}-hint`
        : undefined,
    }),
  );
  const items = choices.map(({ value, label, hint }, index) =>
    h(
      'div',
      { class: hint ? 'radios__item radios__item--hinted' : 'radios__item' },
      inputs[index],
      h(
        'div',
        {},
        h('label', { class: 'label radios__label', for: `${name}-${value}` }, label),
        hint ? h('p', { class: 'hint radios__hint', id: `${name}-${value}-hint` }, hint) : null,
      ),
    ),
  );
  const element = h(
    'fieldset',
    { class: 'fieldset form-group' },
    h('legend', { class: 'fieldset__legend' }, legend),
    h('div', { class: 'radios' }, ...items),
  );
  const value = () => (inputs.find((input) => input.checked)?.value ?? initial) as V;
  return {
    element,
    value,
    set(next) {
      for (const input of inputs) input.checked = input.value === next;
    },
    onChange(listener) {
      for (const input of inputs) input.addEventListener('change', () => listener(value()));
    },
  };
}
