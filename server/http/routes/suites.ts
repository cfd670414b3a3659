import { Hono } from 'hono';
import type { Suite } from '../../../connectors/sync/suite.ts';
import type { TokenVerifier } from '../../auth/tokenVerifier.ts';
import { adminCaller } from './adminCaller.ts';

/** What `GET /api/suites` says about one suite: enough for forms, never anything secret. */
export interface SuiteView {
  provider: string;
  label: string;
  /** What the admin page's form asks for, and whose credentials they are (`Google`). */
  credential: Pick<Suite['credential'], 'owner' | 'fields' | 'choice' | 'advancedHint'>;
  url: { noun: string; example: string; pattern: string; invalidError: string };
  webhook: boolean;
}

/** The public description of a suite, from its descriptor. */
export function suiteView(suite: Suite): SuiteView {
  return {
    provider: suite.provider,
    label: suite.label,
    credential: {
      owner: suite.credential.owner,
      fields: suite.credential.fields,
      ...(suite.credential.choice ? { choice: suite.credential.choice } : {}),
      ...(suite.credential.advancedHint ? { advancedHint: suite.credential.advancedHint } : {}),
    },
    url: { ...suite.url },
    webhook: !!suite.webhook,
  };
}

/**
 * `GET /api/suites`: the suites this server speaks (labels, credential fields, address hints), so the admin
 * pages and the CLI name them and recognise their addresses without knowing any suite. Admins only, like the
 * credential and link routes it serves.
 */
export function suiteRoutes(options: { verify: TokenVerifier; suites: readonly Suite[] }) {
  const app = new Hono();
  app.get('/api/suites', async (c) => {
    await adminCaller(c, options.verify);
    return c.json({ suites: options.suites.map(suiteView) });
  });
  return app;
}
