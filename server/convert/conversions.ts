/**
 * The conversions the HTTP API runs (import by file extension, export by format), as plain functions of
 * bytes or schema JSON. They run inside a conversion worker (conversionPool.ts), never on the event loop:
 * every input here may be hostile. Every refusal is a ConversionError with a stable code.
 */
import type { JSONContent } from '@tiptap/core';
import * as Y from 'yjs';
import { readHtml, writeHtml } from '../../connectors/formats/html.ts';
import { readMarkdown, writeMarkdown } from '../../connectors/formats/markdown.ts';
import { readOdt, writeOdt } from '../../connectors/formats/odt.ts';
import { originalLossWarnings, writeOverOriginal } from '../../connectors/formats/originalPackage.ts';
import type { PackageFormat } from '../../connectors/formats/packageFormat.ts';
import { readDocx, writeDocx } from '../../connectors/microsoft/docx/index.ts';
import { ConversionError } from '../../connectors/model/errors.ts';
import type { ConversionWarning } from '../../connectors/model/warnings.ts';
import { documentFragment, toYjs } from '../../connectors/model/yjs.ts';
import type { ExportFormat, ImportExtension } from './formats.ts';

/** What an import yields. */
export interface Imported {
  doc: JSONContent;
  warnings: ConversionWarning[];
}

/** What an export yields. */
export interface Exported {
  bytes: Uint8Array;
  warnings: ConversionWarning[];
}

const utf8 = (bytes: Uint8Array) => {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ConversionError('TEXT_NOT_UTF8', 'the file is not UTF-8 text');
  }
};

const importers: Record<ImportExtension, (bytes: Uint8Array) => Imported> = {
  docx: (bytes) => {
    const { doc, warnings } = readDocx(bytes);
    return { doc, warnings };
  },
  odt: (bytes) => readOdt(bytes),
  md: (bytes) => readMarkdown(utf8(bytes)),
  markdown: (bytes) => readMarkdown(utf8(bytes)),
  html: (bytes) => readHtml(utf8(bytes)),
};

/** Reads a file by extension; anything but a ConversionError becomes FILE_UNREADABLE. */
export function importFile(extension: string, bytes: Uint8Array): Imported {
  const read = Object.hasOwn(importers, extension) ? importers[extension as ImportExtension] : undefined;
  if (!read) throw new ConversionError('FORMAT_UNAVAILABLE', `no importer for .${extension}`);
  try {
    return read(bytes);
  } catch (error) {
    if (error instanceof ConversionError) throw error;
    throw new ConversionError('FILE_UNREADABLE', 'the file could not be read');
  }
}

/** An import as Yjs updates for a new, empty document, plus the reader's warnings. */
export interface ImportedUpdates {
  updates: Uint8Array[];
  warnings: ConversionWarning[];
}

/** Top-level blocks per update: small enough that applying one stalls the event loop for a few ms only. */
const BLOCKS_PER_UPDATE = 400;

/**
 * Reads a file into Yjs updates that, applied in order to an empty document, give its content. Building the
 * Yjs structure is the costly half of an import (seconds for a long document), so it happens here, in the
 * worker; the server only applies the updates, one at a time, yielding in between. Each update appends
 * the next blocks (built in a scratch doc and cloned in), so the history is the same as one big insert.
 */
export function importUpdates(extension: string, bytes: Uint8Array): ImportedUpdates {
  const { doc, warnings } = importFile(extension, bytes);
  const target = new Y.Doc();
  const fragment = documentFragment(target);
  const blocks = doc.content?.length ? doc.content : [{ type: 'paragraph' }];
  const updates: Uint8Array[] = [];
  let seen = Y.encodeStateVector(target);
  for (let at = 0; at < blocks.length; at += BLOCKS_PER_UPDATE) {
    const scratch = toYjs({ type: 'doc', content: blocks.slice(at, at + BLOCKS_PER_UPDATE) });
    const elements = documentFragment(scratch)
      .toArray()
      .map((element) => element.clone() as Y.XmlElement | Y.XmlText);
    target.transact(() => fragment.insert(fragment.length, elements));
    updates.push(Y.encodeStateAsUpdate(target, seen));
    seen = Y.encodeStateVector(target);
    scratch.destroy();
  }
  return { updates, warnings };
}

/** The original package a document was imported from (its base), for exports over it. */
export interface OriginalBase {
  format: PackageFormat;
  bytes: Uint8Array;
}

/**
 * Writes `doc` in `format`: over the document's base when it has one of the same format (what the document
 * does not model is kept), else fresh, with a warning naming what the base holds that the target cannot.
 */
export function exportDocument(
  format: ExportFormat,
  doc: JSONContent,
  title: string,
  base: OriginalBase | null = null,
): Exported {
  if (base && base.format === format) return writeOverOriginal(base.format, doc, base.bytes);
  const written = exportFresh(format, doc, title);
  if (!base) return written;
  return {
    ...written,
    warnings: [...written.warnings, ...originalLossWarnings(base.format, base.bytes, format)],
  };
}

function exportFresh(format: ExportFormat, doc: JSONContent, title: string): Exported {
  switch (format) {
    case 'docx': {
      const { bytes, warnings } = writeDocx(doc);
      return { bytes, warnings };
    }
    case 'odt':
      return writeOdt(doc);
    case 'md': {
      const { text, warnings } = writeMarkdown(doc);
      return { bytes: new TextEncoder().encode(text), warnings };
    }
    case 'html': {
      const { html, warnings } = writeHtml(doc, { title });
      return { bytes: new TextEncoder().encode(html), warnings };
    }
  }
}

/** A compaction's result: the document's merged state as one update. */
export interface Merged {
  bytes: Uint8Array;
}
