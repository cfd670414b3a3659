/**
 * The original package a document was imported from (.docx or .odt) and what export does with it: writing
 * the document over it in its own format (the way a sync push patches the remote file), and telling, when
 * exporting to another format, what the original holds that the target cannot.
 */
import type { JSONContent } from '@tiptap/core';
import { writeDocxOver } from '../microsoft/docx/writeOver.ts';
import type { ConversionWarning } from '../model/warnings.ts';
import { readOdt, writeOdt } from './odt.ts';
import type { PackageFormat } from './packageFormat.ts';
import { readZip } from './safeZip.ts';

/**
 * Writes `doc` over `original` (a package of `format`): every part the schema does not model is kept,
 * unchanged blocks byte for byte. Throws ConversionError when `original` is not a valid package.
 */
export function writeOverOriginal(
  format: PackageFormat,
  doc: JSONContent,
  original: Uint8Array,
): { bytes: Uint8Array; warnings: ConversionWarning[] } {
  if (format === 'docx') return writeDocxOver(doc, original);
  return writeOdt(doc, { base: readOdt(original).source });
}

const decoder = new TextDecoder();

/** What a package holds outside the body text that only its own format's writer keeps. */
function carriedFeatures(format: PackageFormat, original: Uint8Array): string[] {
  const files = readZip(original, { codePrefix: format.toUpperCase() });
  const text = (name: string) => {
    const bytes = files.get(name);
    return bytes ? decoder.decode(bytes) : '';
  };
  const names = [...files.keys()];
  const found: string[] = [];
  if (format === 'docx') {
    const body = text('word/document.xml');
    if (names.some((n) => /^word\/(header|footer)\d*\.xml$/.test(n))) found.push('headers and footers');
    if (names.includes('word/comments.xml')) found.push('comments');
    if (/<w:(ins|del)\b/.test(body)) found.push('tracked changes');
    if (/<w:sectPr\b/.test(body)) found.push('page layout and section settings');
  } else {
    const styles = text('styles.xml');
    const content = text('content.xml');
    if (/<style:(header|footer)\b/.test(styles)) found.push('headers and footers');
    if (/<office:annotation\b/.test(content)) found.push('comments');
    if (/<text:tracked-changes\b/.test(content)) found.push('tracked changes');
    if (/<style:page-layout\b/.test(styles)) found.push('page layout and section settings');
  }
  return found;
}

/**
 * The warning for exporting a document whose original is a `format` package to `target`: names what the
 * original carries that the target cannot hold (nothing when the target is the original's own format).
 */
export function originalLossWarnings(
  format: PackageFormat,
  original: Uint8Array,
  target: string,
): ConversionWarning[] {
  if (target === format) return [];
  const lost = carriedFeatures(format, original);
  if (lost.length === 0) return [];
  return [
    {
      code: 'EXPORT_ORIGINAL_PARTS_LOST',
      message: `The original .${format} holds ${lost.join(', ')}; a .${target} file cannot hold them`,
    },
  ];
}
