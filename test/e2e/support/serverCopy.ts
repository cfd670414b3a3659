import type { JSONContent } from '@tiptap/core';
import { prosemirrorJSONToYDoc, yXmlFragmentToProseMirrorRootNode } from 'y-prosemirror';
import * as Y from 'yjs';
import { schema } from '../../../connectors/model/schema.ts';
import { connectClient } from '../../helpers/clients.ts';
import { portalToken } from '../../helpers/tokens.ts';

/**
 * What the server holds for `name`, read by a fresh Hocuspocus client over the real socket (not through any
 * browser), as plain text with one line per block.
 */
export async function serverText(wsUrl: string, name: string): Promise<string> {
  const client = connectClient(
    wsUrl,
    name,
    await portalToken({ sub: 'checker', tenant: name.split('/')[0], docs: { [name]: 'read' } }),
  );
  try {
    await client.synced;
    const node = yXmlFragmentToProseMirrorRootNode(client.doc.getXmlFragment('default'), schema);
    return node.textBetween(0, node.content.size, '\n', (leaf) =>
      leaf.type.name === 'atomInline' ? String(leaf.attrs.label) : '',
    );
  } finally {
    client.destroy();
  }
}

/** Writes `json` (schema JSON) as the content of an empty document `name`, and waits until it is durable. */
export async function seedDocument(wsUrl: string, name: string, json: JSONContent): Promise<void> {
  const client = connectClient(
    wsUrl,
    name,
    await portalToken({
      sub: 'seeder',
      name: 'Seeder',
      tenant: name.split('/')[0],
      docs: { [name]: 'edit' },
    }),
  );
  try {
    await client.synced;
    Y.applyUpdate(client.doc, Y.encodeStateAsUpdate(prosemirrorJSONToYDoc(schema, json, 'default')));
    await client.saved();
  } finally {
    client.destroy();
  }
}
