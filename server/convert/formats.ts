/**
 * The formats the HTTP API imports and exports, as plain data: the routes check a request against these on
 * the main thread without loading any converter (those load in the conversion workers only).
 */

/** File extensions an import reads. */
export const importExtensions = ['docx', 'odt', 'md', 'markdown', 'html'] as const;
export type ImportExtension = (typeof importExtensions)[number];

/** True when an import of a file with this extension can be attempted. */
export function canImport(extension: string): extension is ImportExtension {
  return (importExtensions as readonly string[]).includes(extension);
}

/** Export formats and their media types. */
export const exportTypes = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  odt: 'application/vnd.oasis.opendocument.text',
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
} as const;
export type ExportFormat = keyof typeof exportTypes;
