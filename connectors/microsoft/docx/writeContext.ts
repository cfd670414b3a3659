/**
 * State of one writeDocx call: the package being edited, warnings, whether we patch an original (atoms that
 * depend on its other parts can only be written back into it) and the namespace declarations in scope.
 */
import { isSealed } from '../../model/atomSeal.ts';
import type { WarningCollector } from '../../model/warnings.ts';
import { standardDocumentNamespaces } from './ooxmlNames.ts';
import type { PackageEditor } from './packageEditor.ts';
import type { DocxNotesWriter } from './writeNotes.ts';
import { prefixDeclarations } from './xmlText.ts';
import { elements, parseXml, type XmlElement } from './xmlTree.ts';

/** Shared state of the writer modules. */
export interface WriteContext {
  pkg: PackageEditor;
  warnings: WarningCollector;
  /** True when patching an original package (its notes, comments and relationships exist). */
  patching: boolean;
  /** Namespace declarations of the document root being written. */
  rootNamespaces: Record<string, string>;
  /** Next `wp:docPr` id for pictures we create. */
  nextDrawingId: number;
  /** Footnotes and endnotes written so far (their parts are updated at the end). */
  notes: DocxNotesWriter;
}

const dependentElements = new Set([
  'w:footnoteReference',
  'w:endnoteReference',
  'w:commentReference',
  'w:commentRangeStart',
  'w:commentRangeEnd',
]);

function dependsOnPackage(el: XmlElement, ctx: WriteContext): boolean {
  if (dependentElements.has(el.name) && !ctx.patching) return true;
  for (const [name, value] of Object.entries(el.attrs)) {
    if (name.startsWith('r:') && (!ctx.patching || !ctx.pkg.rels.byId.has(value))) return true;
  }
  return elements(el).some((c) => dependsOnPackage(c, ctx));
}

/**
 * Checks a docx atom before writing its payload: the payload must carry this server's reader stamp (so an
 * editor cannot plant markup that only the exported file shows), be well-formed XML, and everything it refers
 * to (relationships, notes, comments) must exist in the package written. Returns false (and warns)
 * otherwise, and the caller writes the atom's label instead.
 */
export function payloadWritable(attrs: Record<string, string>, ctx: WriteContext): boolean {
  const payload = attrs.payload ?? '';
  if (!isSealed(attrs)) {
    ctx.warnings.add(
      'DOCX_ATOM_UNVERIFIED',
      'An atom this server did not read from a .docx file was written as its label',
    );
    return false;
  }
  const decls = prefixDeclarations({ ...standardDocumentNamespaces, ...ctx.rootNamespaces });
  try {
    const parsed = parseXml(`<x${decls}>${payload}</x>`, 'atom payload');
    if (elements(parsed.root).some((el) => dependsOnPackage(el, ctx))) {
      ctx.warnings.add(
        'DOCX_ATOM_NEEDS_ORIGINAL',
        'An atom that refers to parts of its original package was written as its label',
      );
      return false;
    }
    return true;
  } catch {
    ctx.warnings.add(
      'DOCX_ATOM_PAYLOAD_INVALID',
      'An atom with a malformed payload was written as its label',
    );
    return false;
  }
}
