import * as z from 'zod/mini';
import { call } from '../shared/api.ts';
import { ApiError } from '../shared/apiError.ts';
import { h } from '../shared/dom.ts';

const sessionSchema = z.object({
  id: z.string(),
  via: z.string(),
  userAgent: z.nullable(z.string()),
  createdAt: z.number(),
  lastSeenAt: z.number(),
  current: z.boolean(),
});

/**
 * "Your sessions": where the user is signed in (browser, since, last seen), each other one with "Sign out"
 * (ended on the server at once, its editors closed). Shown only to users with a session (not portal tokens).
 */
export async function yourSessions(): Promise<HTMLElement> {
  const section = h('section', { class: 'your-sessions', 'aria-labelledby': 'sessions-heading' });
  const notice = h('p', { class: 'notice', role: 'status' });
  const announce = (text: string) => {
    notice.textContent = text;
  };
  async function render() {
    const { sessions } = await call('/api/session/sessions', z.object({ sessions: z.array(sessionSchema) }));
    const list = h('ul', { class: 'list' });
    for (const session of sessions) {
      const since = new Date(session.createdAt).toLocaleString();
      const item = h(
        'li',
        { 'data-session': session.id },
        `${session.userAgent ?? 'A browser'} · since ${since} `,
      );
      if (session.current) item.append(h('strong', {}, 'This browser'));
      else {
        const end = h(
          'button',
          { class: 'button button--secondary button--small', type: 'button' },
          'Sign out',
        );
        end.addEventListener('click', async () => {
          try {
            await call(`/api/session/sessions/${encodeURIComponent(session.id)}`, z.unknown(), {
              method: 'DELETE',
            });
            announce('That session was signed out.');
          } catch (error) {
            announce(
              `That session could not be signed out (${error instanceof ApiError ? error.code : 'error'}).`,
            );
          }
          await render();
        });
        item.append(end);
      }
      list.append(item);
    }
    section.replaceChildren(
      h('h2', { class: 'heading-m', id: 'sessions-heading' }, 'Your sessions'),
      notice,
      list,
    );
  }
  await render();
  return section;
}
