import pg from 'pg';
import { connectClient, type TestClient } from './clients.ts';
import { createServiceAccount } from './googleCredentials.ts';
import { googleParagraphs, liveParagraphs, liveText, paragraphStart } from './googleDocs.ts';
import type { GoogleEmulatorProcess } from './googleEmulatorProcess.ts';
import type { ServerProcess } from './serverProcess.ts';
import { portalToken } from './tokens.ts';

const SERVICE_ACCOUNT = 'takeover@dept-a-project.iam.gserviceaccount.com';
const DOC = 'dept-a/takeover';

/** What a link takeover after `kill -9` of the instance running the link took (ms from the kill). */
export interface LinkTakeoverFigures {
  /** Until another instance held the link's lease. */
  leaseTakenMs: number;
  /** Until a Google edit made right after the kill was in every web client. */
  remoteEditSeenMs: number;
  /** Until a web edit the dead instance had acknowledged (not yet written to Google) was in Google. */
  webEditInGoogleMs: number;
  /** Web edits acknowledged before the kill and missing from Google at the end (must be 0). */
  webEditsLost: number;
  /** Google edits missing from a web client at the end (must be 0). */
  remoteEditsLost: number;
}

/** A Google-linked document run by one known instance, with web clients, ready for that instance to die. */
export interface LinkedOnInstance {
  linkId: string;
  googleId: string;
  /** The lease owner id of the instance running the link. */
  owner: string;
  clients: TestClient[];
  /**
   * Types a web edit, waits for its durable acknowledgement, then calls `kill` and, right after it, makes a
   * Google edit; resolves with the figures once another instance has taken the link over and both edits
   * have crossed, or rejects after `timeoutMs`.
   */
  killAndMeasure(kill: () => Promise<void>, timeoutMs: number): Promise<LinkTakeoverFigures>;
  destroy(): void;
}

/**
 * Registers a Google credential and links a new Google Doc through `runner` (the instance that creates a link
 * runs it), then connects `clients` web clients through `clientWsUrl` (another instance or a load balancer:
 * they reconnect when their instance dies) and waits until they hold the Google content.
 */
export async function linkOnInstance(options: {
  runner: ServerProcess;
  emulator: GoogleEmulatorProcess;
  databaseUrl: string;
  clientWsUrl: string;
  clients: number;
}): Promise<LinkedOnInstance> {
  const { runner, emulator, databaseUrl } = options;
  const admin = await portalToken({ sub: 'admin', admin: true, docs: { 'dept-a/*': 'edit' } });
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${runner.url}${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = (await res.json()) as Record<string, string>;
    if (res.status !== 201) throw new Error(`${path} refused (${res.status}): ${JSON.stringify(answer)}`);
    return answer;
  };
  const key = await createServiceAccount(emulator, SERVICE_ACCOUNT);
  const credential = await post('/api/credentials', {
    provider: 'google',
    name: 'takeover',
    serviceAccountKey: key,
    endpoints: { docs: emulator.url, drive: emulator.url, token: emulator.tokenUrl },
  });
  const { documentId: googleId } = await emulator.control<{ documentId: string }>('/control/documents', {
    title: 'Takeover',
    owner: SERVICE_ACCOUNT,
    requests: [{ insertText: { location: { index: 1 }, text: 'web side\ngoogle side' } }],
  });
  const link = await post('/api/links', {
    doc: DOC,
    credential: credential.id,
    url: `https://docs.google.com/document/d/${googleId}/edit`,
  });
  const linkId = link.id!;
  const token = await portalToken({ docs: { 'dept-a/*': 'edit' } });
  const clients = Array.from({ length: options.clients }, () =>
    connectClient(options.clientWsUrl, DOC, token, { reconnect: true }),
  );
  const destroy = () => {
    for (const client of clients) client.destroy();
  };
  try {
    await until(
      () => clients.every((c) => liveParagraphs(c.doc)[1] === 'google side'),
      60_000,
      'the Google content in every web client',
    );
    const owner = await until(() => leaseOwner(databaseUrl, linkId), 30_000, 'the link to be leased');
    const googleDoc = () => emulator.control<never>(`/control/documents/${googleId}`);

    const killAndMeasure = async (kill: () => Promise<void>, timeoutMs: number) => {
      const web = '[web before kill] ';
      const remote = '[google after kill] ';
      const writer = clients[0]!;
      liveText(writer.doc, 0).insert(0, web);
      await writer.saved();
      const killedAt = performance.now();
      await kill();
      const doc = await googleDoc();
      await emulator.control(`/control/documents/${googleId}/edit`, {
        requests: [{ insertText: { location: { index: paragraphStart(doc, 1) }, text: remote } }],
      });
      const since = () => performance.now() - killedAt;
      const deadline = timeoutMs;
      const [leaseTakenMs, remoteEditSeenMs, webEditInGoogleMs] = await Promise.all([
        until(
          async () => {
            const holder = await leaseOwner(databaseUrl, linkId);
            return holder !== null && holder !== owner ? since() : null;
          },
          deadline,
          'another instance to take the lease',
        ),
        until(
          () => (clients.every((c) => liveParagraphs(c.doc)[1]?.startsWith(remote)) ? since() : null),
          deadline,
          'the Google edit in every web client',
        ),
        until(
          async () => (googleParagraphs(await googleDoc())[0]?.startsWith(web) ? since() : null),
          deadline,
          'the acknowledged web edit in Google',
        ),
      ]);
      const finalGoogle = googleParagraphs(await googleDoc()).join('\n');
      return {
        leaseTakenMs,
        remoteEditSeenMs,
        webEditInGoogleMs,
        webEditsLost: finalGoogle.split(web).length - 1 === 1 ? 0 : 1,
        remoteEditsLost: clients.filter((c) => !liveParagraphs(c.doc).join('\n').includes(remote)).length,
      };
    };
    return { linkId, googleId, owner, clients, killAndMeasure, destroy };
  } catch (error) {
    destroy();
    throw error;
  }
}

/** The lease owner id of a link, read from the PostgreSQL database the instances share (null: none). */
export async function leaseOwner(databaseUrl: string, linkId: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ lease_owner: string | null; lease_expires_at: string | null }>(
      'SELECT lease_owner, lease_expires_at FROM links WHERE id = $1',
      [linkId],
    );
    const row = rows[0];
    return row?.lease_owner && Number(row.lease_expires_at) > Date.now() ? row.lease_owner : null;
  } finally {
    await client.end();
  }
}

/** Polls `probe` every 50 ms until it gives something other than null/false; rejects after `timeoutMs`. */
async function until<T>(
  probe: () => T | null | false | Promise<T | null | false>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== false) return value;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
