import { type Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import * as client from 'openid-client';
import { z } from 'zod';
import { isAdmin, type OidcClients } from '../../identity/oidcClients.ts';
import type { SessionsRepo } from '../../identity/sessionsRepo.ts';
import type { Logger } from '../../logger.ts';
import { isHttps, setSessionCookie } from '../sessionCookie.ts';
import { SESSION_MS } from './session.ts';

const FLOW_COOKIE = 'docbridge_oidc';
const FLOW_SECONDS = 600;
const flowSchema = z.object({ p: z.string(), s: z.string(), n: z.string(), v: z.string(), r: z.string() });

export interface OidcRouteOptions {
  clients: OidcClients;
  sessions: SessionsRepo;
  /** The server's public URL: redirect URIs are `<publicUrl>/auth/<id>/callback`. */
  publicUrl: () => string;
  logger: Logger;
}

/**
 * OpenID Connect sign-in (authorization code + PKCE, with state and nonce). `GET /auth/<id>/start` sends
 * the browser to the provider, keeping the PKCE verifier, state and nonce in a short-lived HttpOnly cookie
 * scoped to `/auth/`; `GET /auth/<id>/callback` checks them, redeems the code, and opens a server-side session
 * for the provider's tenant (every user of the tenant edits its documents; `adminClaim` makes an admin).
 */
export function oidcRoutes(options: OidcRouteOptions) {
  const app = new Hono();
  const redirectUri = (id: string) => `${options.publicUrl().replace(/\/$/, '')}/auth/${id}/callback`;
  // `html` escapes what it interpolates (the label comes from configuration, but is still text).
  const failed = (c: Context, message: string) =>
    c.html(
      html`<!doctype html><meta charset="utf-8"><title>Sign-in failed – Docbridge</title><p>${message}</p><p><a href="/">Back to Docbridge</a></p>`,
      400,
    );

  app.get('/auth/:id/start', async (c) => {
    const provider = options.clients.provider(c.req.param('id'));
    if (!provider) return c.json({ error: 'provider-not-found' }, 404);
    let config: client.Configuration;
    try {
      config = await options.clients.configuration(provider);
    } catch (error) {
      options.logger.warn({ provider: provider.id, err: message(error) }, 'OpenID Provider discovery failed');
      return c.text(`${provider.label} cannot be reached just now. Try again in a minute.`, 502);
    }
    const flow = {
      p: provider.id,
      s: client.randomState(),
      n: client.randomNonce(),
      v: client.randomPKCECodeVerifier(),
      r: safeReturn(c.req.query('return')),
    };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri(provider.id),
      scope: ['openid', ...(provider.scopes ?? ['email', 'profile'])].filter(unique).join(' '),
      code_challenge: await client.calculatePKCECodeChallenge(flow.v),
      code_challenge_method: 'S256',
      state: flow.s,
      nonce: flow.n,
    });
    setCookie(c, FLOW_COOKIE, Buffer.from(JSON.stringify(flow)).toString('base64url'), {
      httpOnly: true,
      sameSite: 'Lax',
      path: '/auth/',
      maxAge: FLOW_SECONDS,
      secure: isHttps(c, options.publicUrl()),
    });
    return c.redirect(url.href, 302);
  });

  app.get('/auth/:id/callback', async (c) => {
    const provider = options.clients.provider(c.req.param('id'));
    if (!provider) return c.json({ error: 'provider-not-found' }, 404);
    const flow = readFlow(getCookie(c, FLOW_COOKIE));
    deleteCookie(c, FLOW_COOKIE, { path: '/auth/' });
    if (!flow || flow.p !== provider.id) {
      return failed(c, 'This sign-in took too long or was started elsewhere. Please sign in again.');
    }
    let claims: Record<string, unknown>;
    try {
      const config = await options.clients.configuration(provider);
      const current = new URL(redirectUri(provider.id));
      current.search = new URL(c.req.url).search;
      const tokens = await client.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: flow.v,
        expectedState: flow.s,
        expectedNonce: flow.n,
        idTokenExpected: true,
      });
      claims = { ...tokens.claims() };
    } catch (error) {
      options.logger.warn({ provider: provider.id, err: message(error) }, 'OpenID sign-in refused');
      return failed(c, `${provider.label} did not confirm who you are. Please sign in again.`);
    }
    const email =
      typeof claims.email === 'string' && claims.email_verified !== false ? claims.email.toLowerCase() : null;
    const domains = provider.allowedEmailDomains;
    if (domains && !domains.includes(email?.split('@')[1] ?? '')) {
      options.logger.warn({ provider: provider.id }, 'OpenID sign-in refused: e-mail domain not allowed');
      return failed(c, `Your account is not one of ${provider.label}’s. Sign in with your work account.`);
    }
    const sub = String(claims.sub);
    const opened = await options.sessions.open({
      tenant: provider.tenant,
      userId: `${provider.id}:${sub}`,
      userName: typeof claims.name === 'string' && claims.name ? claims.name : (email ?? sub),
      email,
      admin: isAdmin(provider, claims),
      via: `oidc:${provider.id}`,
      guestLinkId: null,
      docs: { [`${provider.tenant}/*`]: 'edit' },
      userAgent: c.req.header('user-agent') ?? null,
      ttlMs: SESSION_MS,
    });
    options.logger.info(
      { provider: provider.id, tenant: provider.tenant, session: opened.session.id },
      'signed in',
    );
    setSessionCookie(c, opened.cookie, SESSION_MS, isHttps(c, options.publicUrl()));
    return c.redirect(flow.r, 303);
  });

  return app;
}

function readFlow(cookie: string | undefined) {
  if (!cookie) return null;
  try {
    const parsed = flowSchema.safeParse(JSON.parse(Buffer.from(cookie, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Only a path on this server: never `//host` or an absolute URL (no open redirect). */
function safeReturn(value: string | undefined): string {
  return value && /^\/(?![/\\])[\x21-\x7e]*$/.test(value) ? value : '/';
}

function unique(value: string, index: number, all: string[]): boolean {
  return all.indexOf(value) === index;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
