import type { HocuspocusProvider } from '@hocuspocus/provider';
import { h } from '../../shared/dom.ts';

/** Where a co-editor is editing from, as their client announces it in awareness (`user.suite`). */
export type Suite = 'web' | 'word' | 'google';

const suiteNames: Record<Suite, string> = { web: 'Docbridge (web)', word: 'Word', google: 'Google Docs' };

/** One person editing the document now. */
export interface Person {
  clientId: number;
  name: string;
  suite: string;
}

/**
 * Everyone in the document's awareness but this client, with the suite they edit from. Clients that do not
 * say (older web clients, y-websocket tools) are taken as the web editor; states without a user (a client
 * that has only connected) are not people yet.
 */
export function peopleFrom(states: Map<number, Record<string, unknown>>, self: number): Person[] {
  const people: Person[] = [];
  for (const [clientId, state] of states) {
    if (clientId === self) continue;
    const user = state.user as { name?: unknown; suite?: unknown } | undefined;
    if (!user || typeof user.name !== 'string' || user.name === '') continue;
    const suite = typeof user.suite === 'string' && user.suite in suiteNames ? (user.suite as Suite) : 'web';
    people.push({ clientId, name: user.name, suite: suiteNames[suite] });
  }
  return people.sort((a, b) => a.name.localeCompare(b.name) || a.clientId - b.clientId);
}

/**
 * Keeps `host` listing who else is editing (name and suite), updated on every awareness change, with a
 * sentence when nobody else is. Returns a stop function.
 */
export function showPeople(host: HTMLElement, provider: HocuspocusProvider): () => void {
  const awareness = provider.awareness;
  if (!awareness) return () => undefined;
  const render = () => {
    const people = peopleFrom(
      awareness.getStates() as Map<number, Record<string, unknown>>,
      awareness.clientID,
    );
    host.replaceChildren(
      people.length === 0
        ? h('p', { class: 'body body--small', 'data-nobody': true }, 'Nobody else is editing right now.')
        : h(
            'ul',
            { class: 'people' },
            ...people.map((person) =>
              h(
                'li',
                { class: 'people__item', 'data-suite': person.suite },
                h('span', { class: 'people__name' }, person.name),
                ' ',
                h('span', { class: 'people__suite' }, `in ${person.suite}`),
              ),
            ),
          ),
    );
  };
  awareness.on('change', render);
  render();
  return () => awareness.off('change', render);
}
