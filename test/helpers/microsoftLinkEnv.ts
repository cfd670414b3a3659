import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { readDocx } from '../../connectors/microsoft/docx/index.ts';
import { startAdminServer } from './adminServer.ts';
import { emulatorControl } from './emulatorControl.ts';
import { docxOf, trustCa } from './graphEmulator.ts';
import { selfSignedPem } from './testCa.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

export const TENANT_ID = '6e1f2a3b-0c4d-4e5f-8a9b-0c1d2e3f4a5b';
export const CLIENT_ID = '0f9e8d7c-6b5a-4938-a726-150493827160';
const CLIENT_SECRET = 'docbridge~emulated~secret';

/** The Graph emulator as its own process (`npm run emulator:microsoft`), with its control API. */
export async function startGraphEmulatorProcess(args: string[] = []) {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'test/emulators/microsoft/main.ts'), '--port', '0', ...args],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const info = await new Promise<{ graphUrl: string; loginUrl: string; caPath: string }>(
    (resolve, reject) => {
      createInterface({ input: child.stdout! }).on('line', (line) => {
        if (line.includes('"listening"')) resolve(JSON.parse(line));
      });
      child.once('exit', (code) => reject(new Error(`the Graph emulator exited with ${code}`)));
    },
  );
  return {
    ...info,
    child,
    control: emulatorControl(info.graphUrl),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

export type GraphEmulatorProcess = Awaited<ReturnType<typeof startGraphEmulatorProcess>>;

/** What the emulator's control API says about an item. */
export interface ItemInfo {
  driveId: string;
  itemId: string;
  eTag: string;
  cTag: string;
  lockedBy: string | null;
  webUrl: string;
  browserUrl: string;
}

/**
 * A Docbridge server process (trusting the emulator's CA through NODE_EXTRA_CA_CERTS) and a Graph emulator
 * process, with a Microsoft credential registered through the admin API: what every Microsoft sync test
 * starts from. The app signs in with a client secret, or with `{ certificate: true }` a certificate (a
 * self-signed one registered on the emulated app, the PEM bundle with its key given to Docbridge).
 */
export async function startMicrosoftLinkEnv(
  serverEnv: Record<string, string> = {},
  emulatorArgs: string[] = [],
  options: { certificate?: boolean } = {},
) {
  const emulator = await startGraphEmulatorProcess(emulatorArgs);
  trustCa((await import('node:fs')).readFileSync(emulator.caPath, 'utf8'));
  const certificate = options.certificate ? selfSignedPem('/CN=docbridge-sync') : null;
  await emulator.control('/control/apps', {
    tenantId: TENANT_ID,
    clientId: CLIENT_ID,
    ...(certificate ? { certificatePem: certificate.cert } : { clientSecret: CLIENT_SECRET }),
  });
  const { driveId } = await emulator.control<{ driveId: string }>('/control/drives', { tenantId: TENANT_ID });
  const admin = await startAdminServer({ NODE_EXTRA_CA_CERTS: emulator.caPath, ...serverEnv }, () =>
    emulator.stop(),
  );
  const { api } = admin;
  const created = await api<{ id: string }>('/api/credentials', {
    provider: 'microsoft',
    name: 'Policy unit (Microsoft 365)',
    tenantId: TENANT_ID,
    clientId: CLIENT_ID,
    ...(certificate
      ? { certificate: `${certificate.key}\n${certificate.cert}` }
      : { clientSecret: CLIENT_SECRET }),
    endpoints: { graph: emulator.graphUrl, login: emulator.loginUrl },
  });
  if (created.status !== 201) throw new Error(`credential refused: ${JSON.stringify(created.body)}`);
  const credentialId = created.body.id;
  const itemPath = (itemId: string) => `/control/drives/${driveId}/items/${itemId}`;

  /** The Word file's current package. */
  const content = async (itemId: string): Promise<Uint8Array> => {
    const res = await fetch(`${emulator.graphUrl}${itemPath(itemId)}/content`);
    return new Uint8Array(await res.arrayBuffer());
  };

  return Object.assign(admin, {
    emulator,
    driveId,
    credentialId,
    content,
    /** The Word file's paragraphs as plain text, read with the project's docx reader. */
    async wordParagraphs(itemId: string): Promise<string[]> {
      const { doc } = readDocx(await content(itemId));
      return (doc.content ?? []).map((block) => textOf(block));
    },
    item: (itemId: string) => emulator.control<ItemInfo>(itemPath(itemId)),
    /** A new Word file in the drive holding these paragraphs (or these bytes). */
    async newWordFile(
      paragraphs: string[] | Uint8Array,
      name = `Policy ${Math.random().toString(36).slice(2)}.docx`,
    ) {
      const bytes = paragraphs instanceof Uint8Array ? paragraphs : docxOf(paragraphs);
      return emulator.control<ItemInfo>(`/control/drives/${driveId}/items`, {
        name,
        contentBase64: Buffer.from(bytes).toString('base64'),
      });
    },
    sharingLink: async (itemId: string) =>
      (await emulator.control<{ url: string }>(`${itemPath(itemId)}/sharing-link`, {})).url,
    /** A Word user's save: the edits applied to the package, saved as Word does (new eTag and cTag). */
    wordSave: (itemId: string, edits: unknown[], user = 'ada@contoso.com') =>
      emulator.control<ItemInfo>(`${itemPath(itemId)}/word-save`, { edits, user }),
    openInWord: (itemId: string, user = 'ada@contoso.com') =>
      emulator.control(`${itemPath(itemId)}/open`, { user }),
    closeInWord: (itemId: string) => emulator.control(`${itemPath(itemId)}/close`, {}),
    async stats() {
      return emulator.control<{
        calls: Record<string, number>;
        uploads: { itemId: string; kind: string; ifMatch: string | null; size: number; status: number }[];
      }>('/control/stats');
    },
    link: (doc: string, url: string, initial?: string) =>
      api('/api/links', { doc, credential: credentialId, url, ...(initial ? { initial } : {}) }),
  });
}

export type MicrosoftLinkEnv = Awaited<ReturnType<typeof startMicrosoftLinkEnv>>;

function textOf(node: { text?: string; content?: unknown[] }): string {
  return node.text ?? (node.content ?? []).map((child) => textOf(child as typeof node)).join('');
}
