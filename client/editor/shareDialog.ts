import { ApiError } from '../shared/apiError.ts';
import { h } from '../shared/dom.ts';
import {
  addShare,
  createGuestLink,
  listGuestLinks,
  listShares,
  type Role,
  removeShare,
  revokeGuestLink,
} from '../shared/shareApi.ts';

const roles: [Role, string][] = [
  ['edit', 'Can edit'],
  ['comment', 'Can comment'],
  ['read', 'Can view'],
];

/**
 * The editor's Share dialog (a native modal `<dialog>`): who the document is shared with (a person by e-mail
 * or a whole department), with Remove; a form to share; and guest links (role, hours, label) with Revoke.
 * A new guest link's address is shown once, ready to copy.
 */
export function shareButton(doc: string, announce: (text: string) => void): HTMLElement {
  const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': 'share-title' });
  const body = h('div', {});
  const close = h('button', { class: 'button button--secondary', type: 'button' }, 'Close');
  close.addEventListener('click', () => dialog.close());
  dialog.append(h('h2', { class: 'heading-m', id: 'share-title' }, 'Share'), body, close);
  const open = h('button', { class: 'button button--secondary button--small', type: 'button' }, 'Share');
  open.addEventListener('click', () => {
    dialog.showModal();
    void render();
  });

  const fail = (error: unknown) =>
    announce(`That did not work (${error instanceof ApiError ? error.code : 'error'}).`);
  const roleSelect = (id: string) =>
    h(
      'select',
      { class: 'select', id, name: id },
      ...roles.map(([value, label]) => h('option', { value }, label)),
    );

  async function render(fresh?: HTMLElement) {
    let shares: Awaited<ReturnType<typeof listShares>>;
    let links: Awaited<ReturnType<typeof listGuestLinks>>;
    try {
      [shares, links] = await Promise.all([listShares(doc), listGuestLinks(doc)]);
    } catch (error) {
      body.replaceChildren(
        h('p', { class: 'body' }, 'Only the owner and administrators can share this document.'),
      );
      fail(error);
      return;
    }
    const shareList = h('ul', { class: 'list', 'data-shares': true });
    for (const share of shares) {
      const who = 'user' in share.with ? share.with.user : `everyone in ${share.with.tenant}`;
      const remove = h(
        'button',
        { class: 'button button--warning button--small', type: 'button' },
        `Remove ${who}`,
      );
      remove.addEventListener('click', () => removeShare(doc, share.id).then(() => render(), fail));
      shareList.append(h('li', {}, `${who} · ${share.role} `, remove));
    }
    const target = h('input', { class: 'input', id: 'share-with', autocomplete: 'off' });
    const kind = h(
      'select',
      { class: 'select', id: 'share-kind' },
      h('option', { value: 'user' }, 'A person (e-mail)'),
      h('option', { value: 'tenant' }, 'A department (its id)'),
    );
    const role = roleSelect('share-role');
    const form = h(
      'form',
      { novalidate: true },
      h('label', { class: 'label', for: 'share-kind' }, 'Share with'),
      kind,
      h('label', { class: 'label', for: 'share-with' }, 'E-mail address or department id'),
      target,
      h('label', { class: 'label', for: 'share-role' }, 'Access'),
      role,
      h('button', { class: 'button', type: 'submit' }, 'Share'),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const value = target.value.trim();
      const to = kind.value === 'user' ? { user: value } : { tenant: value };
      addShare(doc, to, role.value as Role).then(() => {
        announce(`Shared with ${value}.`);
        void render();
      }, fail);
    });

    const guestRole = roleSelect('guest-role');
    const hours = h('input', { class: 'input', id: 'guest-hours', type: 'number', min: '1', value: '24' });
    const label = h('input', { class: 'input', id: 'guest-label', autocomplete: 'off' });
    const guestForm = h(
      'form',
      { novalidate: true },
      h('h3', { class: 'heading-s' }, 'Guest links'),
      h('label', { class: 'label', for: 'guest-role' }, 'Guest access'),
      guestRole,
      h('label', { class: 'label', for: 'guest-hours' }, 'Valid for (hours)'),
      hours,
      h('label', { class: 'label', for: 'guest-label' }, 'Label (optional)'),
      label,
      h('button', { class: 'button', type: 'submit' }, 'Create guest link'),
    );
    guestForm.addEventListener('submit', (event) => {
      event.preventDefault();
      const input = {
        role: guestRole.value as Role,
        expiresInHours: Number(hours.value) || 24,
        ...(label.value.trim() ? { label: label.value.trim() } : {}),
      };
      createGuestLink(doc, input).then(({ url }) => {
        const shown = h('input', {
          class: 'input',
          readonly: true,
          'data-guest-url': true,
          'aria-label': 'Guest link',
        });
        shown.value = url;
        void render(h('p', { class: 'body' }, 'Copy this link now; it is not shown again: ', shown));
      }, fail);
    });
    const linkList = h('ul', { class: 'list', 'data-guest-links': true });
    for (const link of links.filter((l) => l.revokedAt === null && l.expiresAt > Date.now())) {
      const revoke = h('button', { class: 'button button--warning button--small', type: 'button' }, 'Revoke');
      revoke.addEventListener('click', () => revokeGuestLink(doc, link.id).then(() => render(), fail));
      const until = new Date(link.expiresAt).toLocaleString();
      linkList.append(h('li', {}, `${link.label ?? 'Guest link'} · ${link.role} · until ${until} `, revoke));
    }
    body.replaceChildren(shareList, form, guestForm, fresh ?? '', linkList);
  }

  return h('span', {}, open, dialog);
}
