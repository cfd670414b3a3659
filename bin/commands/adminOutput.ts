/** How admin commands print: the API's JSON for scripts (`--json`), or short text and aligned tables for people. */
import { type CliIo, printText } from './io.ts';

/** Prints `value` as JSON when `json`, else `text()`. */
export function printResult(io: CliIo, json: boolean | undefined, value: unknown, text: () => string) {
  return printText(io, json ? JSON.stringify(value, null, 2) : text());
}

/** Columns padded to their widest cell, the header first; a trailing column is not padded. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  return [header, ...rows]
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** A timestamp (ms since the epoch) in UTC to the second, or `never`. */
export function formatTime(at: number | null): string {
  return at === null ? 'never' : `${new Date(at).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Text cut to one line of at most `max` characters, for table cells. */
export function oneLine(text: string | null, max = 60): string {
  if (!text) return '';
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
