import type { MountedEditor, MountOptions } from './mountEditor.ts';
import { showPreview } from './preview.ts';

/**
 * Mounts the editor without making the document wait for it: the text shows read-only as soon as it syncs
 * (`showPreview`, which needs Yjs only) while Tiptap and ProseMirror download, then the editor takes its
 * place, with the server's read-only verdict applied if it came first. Used by the editor page and the
 * embed frame, so neither page's first paint carries the editor's code.
 */
export async function mountEditorLazily(options: MountOptions): Promise<MountedEditor> {
  const hidePreview = showPreview(
    options.host,
    options.connection.doc.getXmlFragment('default'),
    options.label,
  );
  const { mountEditor } = await import('./mountEditor.ts');
  hidePreview();
  const mounted = mountEditor(options);
  const { provider } = options.connection;
  if (provider.isAuthenticated) mounted.setServerReadOnly(provider.authorizedScope === 'readonly');
  return mounted;
}
