/**
 * The file formats the CLI converts between, each as a pair of byte-level functions over the schema
 * document, and how a file name or a `--from`/`--to` value names one.
 */

import type { docs_v1 } from '@googleapis/docs';
import type { JSONContent } from '@tiptap/core';
import { readHtml, writeHtml } from '../../connectors/formats/html.ts';
import { readMarkdown, writeMarkdown } from '../../connectors/formats/markdown.ts';
import { readOdt, writeOdt } from '../../connectors/formats/odt.ts';
import { readGoogleDoc, writeGoogleDoc } from '../../connectors/google/convert/index.ts';
import { readDocx, writeDocx } from '../../connectors/microsoft/docx/index.ts';
import { ConversionError } from '../../connectors/model/errors.ts';
import { normalizeDoc } from '../../connectors/model/schema.ts';
import type { ConversionWarning } from '../../connectors/model/warnings.ts';

/** A format's name as the CLI spells it. */
export type FormatName = 'docx' | 'odt' | 'md' | 'html' | 'json' | 'gdoc';

/** Reading and writing one format at the byte level. */
export interface FormatCodec {
  read(bytes: Uint8Array): { doc: JSONContent; warnings: ConversionWarning[] };
  write(doc: JSONContent): { bytes: Uint8Array; warnings: ConversionWarning[] };
}

/** Largest JSON input accepted (schema JSON or Google Document JSON), in bytes. */
const MAX_JSON_BYTES = 50 * 1024 * 1024;
const encoder = new TextEncoder();

function decodeText(bytes: Uint8Array, format: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch (err) {
    throw new ConversionError('TEXT_ENCODING_INVALID', `The ${format} input is not valid UTF-8`, {
      cause: err,
    });
  }
}

function parseJson(bytes: Uint8Array, format: string): unknown {
  if (bytes.length > MAX_JSON_BYTES)
    throw new ConversionError('JSON_TOO_LARGE', `The ${format} input is too large`);
  try {
    return JSON.parse(decodeText(bytes, format));
  } catch (err) {
    if (err instanceof ConversionError) throw err;
    throw new ConversionError(
      'JSON_INVALID',
      `The ${format} input is not valid JSON: ${(err as Error).message}`,
    );
  }
}

function isGoogleDocument(value: unknown): value is docs_v1.Schema$Document {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every format the CLI knows. */
export const codecs: Record<FormatName, FormatCodec> = {
  docx: {
    read: (bytes) => readDocx(bytes),
    write: (doc) => writeDocx(doc),
  },
  odt: { read: (bytes) => readOdt(bytes), write: (doc) => writeOdt(doc) },
  md: {
    read: (bytes) => readMarkdown(decodeText(bytes, 'Markdown')),
    write: (doc) => {
      const { text, warnings } = writeMarkdown(doc);
      return { bytes: encoder.encode(text), warnings };
    },
  },
  html: {
    read: (bytes) => readHtml(decodeText(bytes, 'HTML')),
    write: (doc) => {
      const { html, warnings } = writeHtml(doc);
      return { bytes: encoder.encode(html), warnings };
    },
  },
  json: {
    read: (bytes) => ({ doc: normalizeDoc(parseJson(bytes, 'JSON')), warnings: [] }),
    write: (doc) => ({
      bytes: encoder.encode(`${JSON.stringify(normalizeDoc(doc), null, 2)}\n`),
      warnings: [],
    }),
  },
  gdoc: {
    read: (bytes) => {
      const value = parseJson(bytes, 'Google Docs JSON');
      if (!isGoogleDocument(value))
        throw new ConversionError('GDOCS_INVALID_DOCUMENT', 'Not a Google Docs document');
      const { doc, warnings } = readGoogleDoc(value);
      return { doc, warnings };
    },
    write: (doc) => {
      const { document, warnings } = writeGoogleDoc(doc);
      return { bytes: encoder.encode(`${JSON.stringify(document, null, 2)}\n`), warnings };
    },
  },
};

const extensions: [string, FormatName][] = [
  ['.gdoc.json', 'gdoc'],
  ['.json', 'json'],
  ['.docx', 'docx'],
  ['.odt', 'odt'],
  ['.md', 'md'],
  ['.markdown', 'md'],
  ['.html', 'html'],
  ['.htm', 'html'],
];

const names: Record<string, FormatName> = {
  docx: 'docx',
  odt: 'odt',
  md: 'md',
  markdown: 'md',
  html: 'html',
  htm: 'html',
  json: 'json',
  gdoc: 'gdoc',
  'gdoc.json': 'gdoc',
};

/** The format a file name implies by its extension, or null. */
export function formatFromPath(file: string): FormatName | null {
  const lower = file.toLowerCase();
  return extensions.find(([ext]) => lower.endsWith(ext))?.[1] ?? null;
}

/** The format named by a `--from`/`--to` value, or null. */
export function formatFromName(name: string): FormatName | null {
  return names[name.toLowerCase().replace(/^\./, '')] ?? null;
}

/** The names accepted by `--from`/`--to`, for help and error messages. */
export const formatNames = ['docx', 'odt', 'md', 'html', 'json', 'gdoc'] as const;
