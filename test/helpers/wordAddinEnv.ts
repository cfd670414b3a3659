import type { WordNamespace } from '../../client/word-addin/wordApi.ts';
import { WordBinding } from '../../client/word-addin/wordBinding.ts';
import { installOffice } from '../emulators/word/officeJs.ts';
import { WordDocument } from '../emulators/word/wordDocument.ts';
import { connectClient, waitFor } from './clients.ts';
import { startMicrosoftLinkEnv, TENANT_ID } from './microsoftLinkEnv.ts';

/** The add-in's app registration, which also holds the department's file-mode access (one app, one secret). */
export const ADDIN_CLIENT_ID = '7c0ffee0-1234-4abc-8def-0123456789ab';
const ADDIN_SECRET = 'docbridge~addin~secret';

/** What `POST /api/word-addin/session` answered. */
export interface SignInAnswer {
  status: number;
  body: {
    token?: string;
    document?: { name: string; title: string };
    role?: string;
    code?: string;
    message?: string;
  };
}

/**
 * The Microsoft link environment (server + Graph emulator processes) set up for the Word add-in: the add-in's
 * app registration in the emulated directory, a credential of `dept-a` naming it as `addinClientId`, and
 * helpers to add users, give them access to a file, get the token Office SSO would give them, and sign in.
 * `serverEnv` goes to the server process (a shared database and Redis, for a second instance).
 */
export async function startWordAddinEnv(serverEnv: Record<string, string> = {}) {
  const env = await startMicrosoftLinkEnv(serverEnv);
  const endpoints = { graph: env.emulator.graphUrl, login: env.emulator.loginUrl };
  await env.emulator.control('/control/apps', {
    tenantId: TENANT_ID,
    clientId: ADDIN_CLIENT_ID,
    clientSecret: ADDIN_SECRET,
  });
  const credential = await env.api<{ id: string }>('/api/credentials', {
    provider: 'microsoft',
    name: 'Policy unit with the Word add-in',
    tenantId: TENANT_ID,
    clientId: ADDIN_CLIENT_ID,
    clientSecret: ADDIN_SECRET,
    addinClientId: ADDIN_CLIENT_ID,
    endpoints,
  });
  if (credential.status !== 201) throw new Error(`credential refused: ${JSON.stringify(credential.body)}`);
  const issued: string[] = [];
  const grant = (itemId: string, upn: string, role: 'owner' | 'write' | 'read' | 'none') =>
    env.emulator.control(`/control/drives/${env.driveId}/items/${itemId}/permissions`, { user: upn, role });

  return Object.assign(env, {
    addinCredentialId: credential.body.id,
    endpoints,
    /** Every SSO token handed out so far (to check none reaches the logs). */
    issued,
    /** A work account in a directory of the emulated Entra. */
    user: (upn: string, tenantId = TENANT_ID) =>
      env.emulator.control('/control/users', { tenantId, upn, displayName: upn.split('@')[0] }),
    /** A user's own access to a file of the drive. */
    grant,
    /** What Office SSO would give the add-in signed in as `upn`. */
    async ssoToken(upn: string, body: Record<string, unknown> = {}): Promise<string> {
      const { accessToken } = await env.emulator.control<{ accessToken: string }>(
        `/control/users/${upn}/addin-token`,
        { audience: ADDIN_CLIENT_ID, ...body },
      );
      issued.push(accessToken);
      return accessToken;
    },
    /** `POST /api/word-addin/session` as the pane sends it, to `serverUrl` (this env's server by default). */
    async signIn(
      accessToken: string,
      documentUrl: string,
      serverUrl = env.server.url,
    ): Promise<SignInAnswer> {
      const res = await fetch(`${serverUrl}/api/word-addin/session`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ accessToken, documentUrl }),
      });
      return { status: res.status, body: (await res.json()) as SignInAnswer['body'] };
    },
    /** The first link of `doc` as readers see it (`GET /api/documents/<doc>/links` on this env's server). */
    async linkView(doc: string) {
      const { body } = await env.api<{
        links: { status: string; statusDetail: string | null; lastSyncedAt: number | null }[];
      }>(`/api/documents/${doc}/links`);
      return body.links[0]!;
    },
    /**
     * The add-in in Word on `file` (holding `paragraphs`), signed in as `upn` through the server at `url` and
     * joined there (this env's server by default), once the link says it is live in Word.
     */
    async openAddin(
      doc: string,
      file: { webUrl: string },
      upn: string,
      paragraphs: string[],
      server: { url: string; wsUrl: string } = env.server,
    ) {
      const accessToken = await this.ssoToken(upn);
      const signedIn = await this.signIn(accessToken, file.webUrl, server.url);
      if (signedIn.status !== 200) throw new Error(`sign-in refused: ${JSON.stringify(signedIn.body)}`);
      const addin = await startAddin(server.wsUrl, doc, signedIn.body.token!, paragraphs);
      await waitFor(
        async () => (await this.linkView(doc)).statusDetail?.includes('live in Word') ?? false,
        'the link saying it is live in Word',
        30_000,
      );
      return addin;
    },
    /** A linked Word file of `dept-a`'s add-in credential, with these users' access. */
    async linkedFile(doc: string, paragraphs: string[], access: Record<string, 'owner' | 'write' | 'read'>) {
      const file = await env.newWordFile(paragraphs, `${doc.split('/')[1]}.docx`);
      for (const [upn, role] of Object.entries(access)) await grant(file.itemId, upn, role);
      const link = await env.api('/api/links', {
        doc,
        credential: credential.body.id,
        url: await env.sharingLink(file.itemId),
      });
      if (link.status !== 201) throw new Error(`link refused: ${JSON.stringify(link.body)}`);
      return file;
    },
  });
}

/**
 * The add-in, Node-side: the real binding between the Word API emulator (a document holding `paragraphs`)
 * and a socket to `wsUrl` with a session token, started and synced. `leave()` is the pane closing.
 */
export async function startAddin(wsUrl: string, doc: string, token: string, paragraphs: string[]) {
  const socket = connectClient(wsUrl, doc, token);
  await socket.synced;
  const word = new WordDocument(paragraphs);
  const globals: Record<string, unknown> = {};
  installOffice(globals, { document: word });
  const binding = new WordBinding({
    word: globals.Word as WordNamespace,
    doc: socket.doc,
    events: true,
    pollMs: 200,
    onError: (error) => console.error('binding', error),
  });
  await binding.start();
  return {
    word,
    async leave(): Promise<void> {
      await binding.stop();
      socket.destroy();
    },
  };
}

export type WordAddinEnv = Awaited<ReturnType<typeof startWordAddinEnv>>;
