import { describe, expect, it } from 'vitest';
import { peopleFrom } from '../../../client/word-addin/pane/presence.ts';

describe('peopleFrom (who else is editing, for the task pane)', () => {
  it('lists everyone but this client by name with their suite, sorted, skipping states without a user', () => {
    const states = new Map<number, Record<string, unknown>>([
      [1, { user: { name: 'Me', suite: 'word' } }],
      [2, { user: { name: 'Zoë', color: '#1d70b8', suite: 'web' } }],
      [3, { user: { name: 'Ada', suite: 'word' } }],
      [4, { user: { name: 'Bob' } }],
      [5, {}],
      [6, { user: { name: '', suite: 'web' } }],
      [7, { user: { name: 'Gus', suite: 'google' } }],
      [8, { user: { name: 'Ivy', suite: 'something-else' } }],
    ]);
    expect(peopleFrom(states, 1).map(({ name, suite }) => `${name} in ${suite}`)).toEqual([
      'Ada in Word',
      'Bob in Docbridge (web)',
      'Gus in Google Docs',
      'Ivy in Docbridge (web)',
      'Zoë in Docbridge (web)',
    ]);
  });

  it('is empty when this client is alone', () => {
    expect(peopleFrom(new Map([[9, { user: { name: 'Me', suite: 'word' } }]]), 9)).toEqual([]);
  });
});
