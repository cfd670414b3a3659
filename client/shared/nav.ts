import { type Session, signOut } from './api.ts';
import { h } from './dom.ts';

/** One entry of the main navigation; `visible` decides from the session whether the user sees it. */
export interface NavItem {
  label: string;
  href: string;
  visible(session: Session): boolean;
}

/** The main navigation: the documents list for everyone, the admin page for tenant administrators. */
export const navItems: NavItem[] = [
  { label: 'Documents', href: '/', visible: () => true },
  { label: 'Administration', href: '/admin', visible: (session) => session.user.admin },
];

/** Fills the header's `[data-nav]` with the entries this session may see, and who is signed in. */
export function renderNav(container: HTMLElement, session: Session | null): void {
  const list = h('ul', { class: 'site-nav__list' });
  if (session) {
    for (const item of navItems.filter((entry) => entry.visible(session))) {
      const current = location.pathname.replace(/(.)\/$/, '$1') === item.href;
      list.append(
        h(
          'li',
          {},
          h(
            'a',
            { class: 'site-nav__link', href: item.href, 'aria-current': current ? 'page' : undefined },
            item.label,
          ),
        ),
      );
    }
    list.append(h('li', { class: 'site-nav__user' }, `Signed in as ${session.user.name}`));
    if (session.csrfToken) {
      const button = h(
        'button',
        { class: 'button button--secondary site-nav__signout', type: 'button' },
        'Sign out',
      );
      button.addEventListener('click', async () => {
        await signOut();
        location.assign('/');
      });
      list.append(h('li', {}, button));
    }
  }
  container.replaceChildren(list);
}
