import tls from 'node:tls';
import { writeDocx } from '../../connectors/microsoft/docx/index.ts';

/**
 * Makes this process trust a Graph emulator's throwaway CA (node's https, fetch and the Microsoft libraries
 * all use the default CA list), as `NODE_EXTRA_CA_CERTS` does for a server process.
 */
export function trustCa(caPem: string): void {
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), caPem]);
}

/** A small .docx holding these paragraphs, written by the project's own writer. */
export function docxOf(paragraphs: string[]): Uint8Array {
  return writeDocx({
    type: 'doc',
    content: (paragraphs.length > 0 ? paragraphs : ['']).map((text) => ({
      type: 'paragraph',
      ...(text ? { content: [{ type: 'text', text }] } : {}),
    })),
  }).bytes;
}

/**
 * Adds work accounts to a directory of the Graph emulator (its control API at `control`), each with their own
 * access to one file (`none`: no access); answers their object ids by UPN.
 */
export async function usersWithAccess(
  control: <T>(path: string, body?: unknown) => Promise<T>,
  tenantId: string,
  file: { driveId: string; itemId: string },
  access: Record<string, 'owner' | 'write' | 'read' | 'none'>,
): Promise<Map<string, string>> {
  const oids = new Map<string, string>();
  for (const [upn, role] of Object.entries(access)) {
    const { oid } = await control<{ oid: string }>('/control/users', {
      tenantId,
      upn,
      displayName: upn.split('@')[0],
    });
    oids.set(upn, oid);
    await control(`/control/drives/${file.driveId}/items/${file.itemId}/permissions`, { user: upn, role });
  }
  return oids;
}
