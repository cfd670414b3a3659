import * as Y from 'yjs';
import { DocumentsRepo } from './admin/documentsRepo.ts';
import type { Storage } from './storage/storage.ts';

/**
 * Writes a short welcome document the first time a local server starts, so a newcomer has something to open
 * and share. Built directly in y-prosemirror's shape (`XmlFragment('default')` of schema nodes).
 */
export async function ensureDemoDocument(storage: Storage, name: string): Promise<void> {
  const [tenant] = name.split('/');
  await new DocumentsRepo(storage.sql).ensure(tenant!, {
    name,
    title: 'Welcome to Docbridge',
    createdBy: 'docbridge',
  });
  const stored = await storage.loadDocument(name);
  if (stored.snapshot || stored.updates.length > 0) return;
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment('default');
  const block = (type: string, text: string, attrs: Record<string, string> = {}) => {
    const element = new Y.XmlElement(type);
    for (const [key, value] of Object.entries(attrs)) element.setAttribute(key, value);
    element.insert(0, [new Y.XmlText(text)]);
    return element;
  };
  fragment.insert(0, [
    block('heading', 'Welcome to Docbridge', { level: '1' }),
    block('paragraph', 'This document is shared live: open it in a second browser window and type in both.'),
    block(
      'paragraph',
      'Link it to a Google Doc or a Word file from the admin pages, and people in other departments can edit the same text in their own office suite.',
    ),
  ]);
  await storage.appendUpdates(name, [Y.encodeStateAsUpdate(doc)]);
}
