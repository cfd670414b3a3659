/**
 * Conversions between schema JSON and the Yjs shape y-prosemirror uses (`ydoc.getXmlFragment('default')`).
 * The sync engine applies an imported remote document to its shadow with `applyJsonToFragment`, which makes
 * minimal Yjs edits so the shadow's update merges cleanly with concurrent web edits.
 */
import type { JSONContent } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { prosemirrorJSONToYDoc, yXmlFragmentToProseMirrorRootNode } from 'y-prosemirror';
import * as Y from 'yjs';
import { updateFragment } from './fragmentUpdate.ts';
import { schema, validateDoc } from './schema.ts';

/** The name of the XmlFragment holding the document in every Docbridge Y.Doc (the Tiptap default). */
export const FRAGMENT_NAME = 'default';

/**
 * A new Y.Doc whose `default` fragment holds `json` (validated against the schema first). Meant for
 * creating a document or a shadow from scratch: it has no shared history with any other doc.
 */
export function toYjs(json: JSONContent): Y.Doc {
  validateDoc(json);
  return prosemirrorJSONToYDoc(schema, json, FRAGMENT_NAME);
}

/** The fragment of `doc` that holds the document. */
export function documentFragment(doc: Y.Doc): Y.XmlFragment {
  return doc.getXmlFragment(FRAGMENT_NAME);
}

/**
 * The schema JSON of a fragment (or of a Y.Doc's `default` fragment). An empty fragment gives a doc with one
 * empty paragraph, as the editor shows it. Note: y-prosemirror removes Yjs elements that do not fit the
 * schema while reading, so reading can itself produce a (repairing) Yjs update.
 */
export function fromYjs(source: Y.XmlFragment | Y.Doc): JSONContent {
  const fragment = source instanceof Y.Doc ? documentFragment(source) : source;
  if (fragment.length === 0) return { type: 'doc', content: [{ type: 'paragraph' }] };
  return yXmlFragmentToProseMirrorRootNode(fragment, schema).toJSON() as JSONContent;
}

/**
 * Updates `fragment` in place so that it holds `json`, with minimal edits at every level (see
 * `fragmentUpdate.ts`): a small change of a big document is a small Yjs update, and an edit merged with
 * concurrent ones never deletes or revives text it did not change. `origin` tags the transaction (the sync
 * engine passes its link). The fragment must belong to a Y.Doc.
 */
export function applyJsonToFragment(
  fragment: Y.XmlFragment,
  json: JSONContent,
  origin: unknown = null,
): void {
  applyNodeToFragment(fragment, validateDoc(json), origin);
}

/**
 * `applyJsonToFragment` for a node that is already schema-valid (the sync engine validates each document
 * once, when it is read): the same minimal edits, without another validation.
 */
export function applyNodeToFragment(fragment: Y.XmlFragment, node: PMNode, origin: unknown = null): void {
  const doc = fragment.doc;
  if (!doc) throw new Error('applyNodeToFragment: the fragment is not part of a Y.Doc');
  doc.transact(() => updateFragment(fragment, node), origin);
}
