import { ApiError } from '../shared/apiError.ts';
import { downloadExport, exportFormats } from '../shared/documentApi.ts';
import { h } from '../shared/dom.ts';

export interface DocumentMenuActions {
  /** Tells the user what happened (a polite live region). */
  announce(text: string): void;
  /** Opens the "save a version" form; null hides the entry (read-only users). */
  saveVersion: (() => void) | null;
  openHistory(): void;
}

/**
 * The editor's "Document" menu: a disclosure button (`aria-expanded`) revealing download buttons for every
 * export format and the version actions. A plain disclosure rather than an ARIA menu, so Tab, Enter and
 * screen readers work as on any list of links; Escape closes it and returns focus to the button.
 */
export function documentMenu(documentName: string, actions: DocumentMenuActions): HTMLElement {
  const panelId = 'document-menu-panel';
  const toggle = h(
    'button',
    {
      class: 'button button--secondary button--small',
      type: 'button',
      'aria-expanded': 'false',
      'aria-controls': panelId,
    },
    'Document',
  );
  const item = (child: HTMLElement) => h('li', { class: 'menu__item' }, child);
  const downloads = exportFormats.map(({ format, label }) =>
    button(`Download as ${label}`, async () => {
      actions.announce(`Preparing the ${label} file…`);
      try {
        actions.announce(`Downloaded ${await downloadExport(documentName, format)}.`);
      } catch (error) {
        actions.announce(
          `The document could not be exported (${error instanceof ApiError ? error.code : 'unexpected error'}).`,
        );
      }
    }),
  );
  function button(label: string, run: () => void) {
    const element = h('button', { class: 'menu__button', type: 'button' }, label);
    element.addEventListener('click', () => {
      close();
      run();
    });
    return item(element);
  }
  const panel = h(
    'div',
    { class: 'menu__panel', id: panelId, hidden: true },
    h('ul', { class: 'menu__list', 'aria-label': 'Download' }, ...downloads),
    h(
      'ul',
      { class: 'menu__list', 'aria-label': 'Versions' },
      actions.saveVersion ? button('Save a version…', actions.saveVersion) : null,
      button('Version history…', actions.openHistory),
    ),
  );
  const root = h('div', { class: 'menu' }, toggle, panel);
  const open = () => {
    panel.hidden = false;
    toggle.setAttribute('aria-expanded', 'true');
  };
  function close(focus = false) {
    panel.hidden = true;
    toggle.setAttribute('aria-expanded', 'false');
    if (focus) toggle.focus();
  }
  toggle.addEventListener('click', () => (panel.hidden ? open() : close()));
  root.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !panel.hidden) {
      event.preventDefault();
      close(true);
    }
  });
  document.addEventListener('click', (event) => {
    if (!panel.hidden && !root.contains(event.target as Node)) close();
  });
  return root;
}
