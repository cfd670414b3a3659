import { getSession, type Session } from '../shared/api.ts';
import { h, required } from '../shared/dom.ts';
import { renderNav } from '../shared/nav.ts';
import { signedOut } from '../shared/signedOut.ts';
import { listSuites } from './adminApi.ts';
import { auditSection } from './auditSection.ts';
import { credentialsSection } from './credentialsSection.ts';
import { identitySection } from './identitySection.ts';
import { linksSection } from './linksSection.ts';

/**
 * The admin page (`/admin`) of a tenant administrator: credentials, linked documents, sign-in and sharing (providers, sessions, shares, guest links) and the audit log,
 * everything the admin API does. Anyone else gets a plain "administrators only" page; the server refuses
 * their API calls whatever the page shows. Outcomes of actions are announced in one polite live region.
 */
export async function startAdminPage(main: HTMLElement): Promise<void> {
  document.title = 'Administration – Docbridge';
  const heading = h('h1', { class: 'heading-xl' }, 'Administration');
  let session: Session;
  try {
    session = await getSession();
  } catch (error) {
    main.replaceChildren(heading, signedOut(error, 'You are not signed in.', 'Docbridge'));
    return;
  }
  renderNav(required('[data-nav]'), session);
  if (!session.user.admin) {
    document.title = 'Administrators only – Docbridge';
    main.replaceChildren(
      h('h1', { class: 'heading-xl' }, 'Administrators only'),
      h(
        'p',
        { class: 'body' },
        `You are signed in as ${session.user.name}, who is not an administrator of ${session.user.tenant}.`,
      ),
      h(
        'p',
        { class: 'body' },
        'Ask an administrator of your department to manage credentials and linked documents.',
      ),
      h('p', { class: 'body' }, h('a', { class: 'link', href: '/' }, 'Go to your documents')),
    );
    return;
  }
  const live = h('p', { class: 'notice', role: 'status', 'data-announcer': true });
  const announce = (text: string) => {
    live.textContent = text;
  };
  const links = linksSection(announce);
  const credentials = credentialsSection(announce, () => void links.reloadChoices().then(links.refresh));
  const audit = auditSection();
  const identity = identitySection(announce);
  const contents = h(
    'nav',
    { class: 'contents', 'aria-label': 'On this page' },
    h(
      'ul',
      { class: 'contents__list' },
      h('li', {}, h('a', { class: 'link', href: '#credentials-title' }, 'Credentials')),
      h('li', {}, h('a', { class: 'link', href: '#links-title' }, 'Linked documents')),
      h('li', {}, h('a', { class: 'link', href: '#identity-title' }, 'Sign-in and sharing')),
      h('li', {}, h('a', { class: 'link', href: '#audit-title' }, 'Audit log')),
    ),
  );
  const lead = h(
    'p',
    { class: 'body lead' },
    `Tenant ${session.user.tenant}: connections to other office suites, and who did what.`,
  );
  /** Names every suite the server speaks (`GET /api/suites`), once it has answered. */
  const nameSuites = async () => {
    const labels = (await listSuites().catch(() => [])).map((suite) => suite.label);
    if (labels.length)
      lead.textContent = `Tenant ${session.user.tenant}: connections to ${new Intl.ListFormat('en', { type: 'conjunction' }).format(labels)}, and who did what.`;
  };
  main.replaceChildren(
    heading,
    lead,
    contents,
    live,
    credentials.element,
    links.element,
    identity.element,
    audit.element,
  );
  for (const section of main.querySelectorAll('h2')) section.setAttribute('tabindex', '-1');
  await Promise.all([
    nameSuites(),
    credentials.refresh(),
    links.reloadChoices().then(links.refresh),
    identity.refresh(),
    audit.refresh(),
  ]);
}
