import type { Browser, BrowserContext } from 'playwright-core';
import type { Role } from '../../../server/auth/claims.ts';
import { portalToken } from '../../helpers/tokens.ts';

export interface TestUser {
  sub: string;
  name: string;
  role: Role;
  /** A tenant administrator (`admin: true` in the token). */
  admin?: boolean;
}

/**
 * A browser context signed in as `user` of tenant dept-a, as an identity-provider session would be: API calls
 * carry the user's bearer token, and the web client's `POST /api/session/token` (which only local mode
 * serves) answers with a token minted for that user. The server verifies every token itself.
 */
export async function contextFor(browser: Browser, user: TestUser): Promise<BrowserContext> {
  const token = await portalToken({
    sub: user.sub,
    name: user.name,
    tenant: 'dept-a',
    docs: { 'dept-a/*': user.role },
    ...(user.admin ? { admin: true } : {}),
  });
  const context = await browser.newContext({
    extraHTTPHeaders: { authorization: `Bearer ${token}` },
    viewport: { width: 1100, height: 760 },
  });
  await context.route('**/api/session/token', (route) =>
    route.fulfill({
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({ token, expiresIn: 600 }),
    }),
  );
  return context;
}
