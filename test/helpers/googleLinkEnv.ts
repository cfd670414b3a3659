import { startAdminServer } from './adminServer.ts';
import { createServiceAccount } from './googleCredentials.ts';
import { type GoogleDocJson, paragraphStart } from './googleDocs.ts';
import { type GoogleEmulatorProcess, startGoogleEmulatorProcess } from './googleEmulatorProcess.ts';

export const SERVICE_ACCOUNT = 'docbridge-sync@dept-a-project.iam.gserviceaccount.com';

/**
 * A Docbridge server process and a Google emulator process, with a Google credential registered through
 * the admin API: what every Google sync test starts from.
 */
export async function startGoogleLinkEnv(
  serverEnv: Record<string, string> = {},
  emulatorArgs: string[] = [],
) {
  const emulator: GoogleEmulatorProcess = await startGoogleEmulatorProcess(emulatorArgs);
  const key = await createServiceAccount(emulator, SERVICE_ACCOUNT);
  const admin = await startAdminServer(serverEnv, () => emulator.stop());
  const { api } = admin;
  const created = await api<{ id: string }>('/api/credentials', {
    provider: 'google',
    name: 'Policy unit',
    serviceAccountKey: key,
    endpoints: { docs: emulator.url, drive: emulator.url, token: emulator.tokenUrl },
  });
  if (created.status !== 201) throw new Error(`credential refused: ${JSON.stringify(created.body)}`);
  const credentialId = created.body.id;

  const googleDoc = (id: string) => emulator.control<GoogleDocJson>(`/control/documents/${id}`);

  return Object.assign(admin, {
    emulator,
    key,
    credentialId,
    googleDoc,
    /** A new Google Doc, shared with the service account, holding these paragraphs. */
    async newGoogleDoc(paragraphs: string[], extraRequests: unknown[] = []): Promise<string> {
      const { documentId } = await emulator.control<{ documentId: string }>('/control/documents', {
        title: 'Linked',
        owner: SERVICE_ACCOUNT,
        requests: [{ insertText: { location: { index: 1 }, text: paragraphs.join('\n') } }, ...extraRequests],
      });
      return documentId;
    },
    /**
     * A Google user's edit, as a request list. With `seen` (the revisionId of the read the indices were
     * computed from) it is transformed over writes that landed since, as Google does for its editor's users;
     * without, it applies at the latest revision.
     */
    googleEdit: (id: string, requests: unknown[], seen?: string) =>
      emulator.control(`/control/documents/${id}/edit`, { requests, ...(seen ? { revisionId: seen } : {}) }),
    async googleInsert(id: string, paragraph: number, text: string) {
      const doc = await googleDoc(id);
      await emulator.control(`/control/documents/${id}/edit`, {
        requests: [{ insertText: { location: { index: paragraphStart(doc, paragraph) }, text } }],
      });
    },
    async batchUpdates(): Promise<number> {
      return (
        (await emulator.control<{ calls: Record<string, number> }>('/control/stats')).calls[
          'documents.batchUpdate'
        ] ?? 0
      );
    },
    /** Links `doc` to the Google Doc through the admin API. */
    link: (doc: string, googleId: string, initial?: string) =>
      api('/api/links', {
        doc,
        credential: credentialId,
        url: `https://docs.google.com/document/d/${googleId}/edit`,
        ...(initial ? { initial } : {}),
      }),
  });
}

export type GoogleLinkEnv = Awaited<ReturnType<typeof startGoogleLinkEnv>>;
