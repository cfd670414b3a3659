/**
 * Which formats keep their original package on import (written over on export: `originalPackage.ts`). A
 * module of its own, without the converters, so the server's import route can ask before loading any.
 */

/** The formats whose files are kept as a document's original package. */
export type PackageFormat = 'docx' | 'odt';

/** True for the formats whose original package is kept on import. */
export function isPackageFormat(format: string): format is PackageFormat {
  return format === 'docx' || format === 'odt';
}
