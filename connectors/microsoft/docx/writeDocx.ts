/**
 * writeDocx: schema JSON to .docx bytes. With `base` (the DocxSource of the package it was read from) the
 * original package is patched: unchanged blocks keep their XML byte for byte, changed ones are regenerated,
 * every part not modelled is carried over. Without `base` a clean minimal package is created.
 */
import { validateDoc } from '../../model/schema.ts';
import { type ConversionWarning, WarningCollector } from '../../model/warnings.ts';
import { hashJson } from './blockHash.ts';
import { relTypeUri } from './ooxmlNames.ts';
import { PackageEditor } from './packageEditor.ts';
import {
  abstractNumXml,
  appPartXml,
  contentTypesXml,
  corePartXml,
  documentHead,
  documentTail,
  numberingPartXml,
  numXml,
  settingsPartXml,
  stylesPartXml,
} from './packageTemplate.ts';
import { relationshipsXml } from './relationships.ts';
import type { DocxSource, Json } from './types.ts';
import { writeBlocks } from './writeBlocks.ts';
import type { WriteContext } from './writeContext.ts';
import { writeInline } from './writeInline.ts';
import { DocxNotesWriter } from './writeNotes.ts';
import { encodePart } from './xmlText.ts';
import { type PackageParts, zipPackage } from './zipPackage.ts';

/** Options of writeDocx. */
export interface WriteDocxOptions {
  /** The original package to patch (from readDocx); omitted = create a new package. */
  base?: DocxSource;
}

/** Result of writeDocx. */
export interface WriteDocxResult {
  bytes: Uint8Array;
  warnings: ConversionWarning[];
}

function newPackageParts(): PackageParts {
  const parts: PackageParts = new Map();
  const rel = (id: string, type: string, target: string) => ({
    id,
    type,
    typeUri: type,
    target,
    external: false,
  });
  parts.set('[Content_Types].xml', encodePart(contentTypesXml()));
  parts.set(
    '_rels/.rels',
    encodePart(
      relationshipsXml([
        rel('rId1', relTypeUri('officeDocument', false), 'word/document.xml'),
        rel('rId2', relTypeUri('core-properties', false), 'docProps/core.xml'),
        rel('rId3', relTypeUri('extended-properties', false), 'docProps/app.xml'),
      ]),
    ),
  );
  parts.set(
    'word/_rels/document.xml.rels',
    encodePart(
      relationshipsXml([
        rel('rId1', relTypeUri('settings', false), 'settings.xml'),
        rel('rId2', relTypeUri('styles', false), 'styles.xml'),
        rel('rId3', relTypeUri('numbering', false), 'numbering.xml'),
      ]),
    ),
  );
  parts.set('word/styles.xml', encodePart(stylesPartXml()));
  parts.set(
    'word/numbering.xml',
    encodePart(
      numberingPartXml(
        abstractNumXml(0, ['bullet'], []) + abstractNumXml(1, ['decimal'], []) + numXml(1, 0) + numXml(2, 1),
      ),
    ),
  );
  parts.set('word/settings.xml', encodePart(settingsPartXml()));
  parts.set('docProps/core.xml', encodePart(corePartXml()));
  parts.set('docProps/app.xml', encodePart(appPartXml()));
  return parts;
}

function isSingleEmptyParagraph(content: Json[]): boolean {
  const only = content[0];
  return content.length === 1 && only?.type === 'paragraph' && !only.content && !only.attrs?.blockStyle;
}

/** Writes `doc` (schema JSON, validated) as a .docx package. */
export function writeDocx(doc: Json, opts: WriteDocxOptions = {}): WriteDocxResult {
  const canonical = validateDoc(doc).toJSON() as Json;
  const content = canonical.content ?? [];
  const warnings = new WarningCollector();
  const base = opts.base;
  const parts: PackageParts = base ? new Map(base.parts) : newPackageParts();
  const documentPart = base?.documentPart ?? 'word/document.xml';
  const pkg = new PackageEditor(parts, documentPart, base?.strict ?? false);
  const ctx: WriteContext = {
    pkg,
    warnings,
    patching: base !== undefined,
    rootNamespaces: base?.rootNamespaces ?? {},
    nextDrawingId: 100_000,
    notes: new DocxNotesWriter(pkg, base !== undefined, (nodes, inner) => writeInline(nodes, [], inner)),
  };
  if (base) {
    const unchanged =
      (base.syntheticEmpty && isSingleEmptyParagraph(content)) ||
      (content.length === base.blocks.length &&
        content.every((b, i) => hashJson(b) === base.blocks[i]?.hash));
    if (!unchanged) {
      const body =
        base.syntheticEmpty && isSingleEmptyParagraph(content) ? '' : writeBlocks(content, base.blocks, ctx);
      let head = base.head;
      let tail = base.tail;
      if (head.endsWith('/>') && base.blocks.length === 0) {
        // `<w:body/>`: open it so content can go inside.
        const open = head.slice(head.lastIndexOf('<'));
        const name = open.slice(1).split(/[\s/>]/, 1)[0] ?? 'w:body';
        head = `${head.slice(0, -2)}>`;
        tail = `</${name}>${tail}`;
      }
      parts.set(documentPart, encodePart(head + body + tail, base.bom));
    }
  } else {
    const body = writeBlocks(content, undefined, ctx);
    parts.set(documentPart, encodePart(documentHead() + body + documentTail()));
  }
  ctx.notes.finish();
  pkg.finish();
  return { bytes: zipPackage(parts), warnings: warnings.list() };
}
