/**
 * A loss or approximation that a converter made, returned beside its result (mammoth.js style) so that the
 * caller can show it, log it or count it. `code` is stable (e.g. `MD_ATOM_AS_TEXT`), `message` is for humans.
 */
export interface ConversionWarning {
  code: string;
  message: string;
}

/** The shape every `read*` converter returns: the schema document plus every loss it made. */
export interface ConversionResult<T> {
  doc: T;
  warnings: ConversionWarning[];
}

/**
 * Collects warnings while a converter runs, counting repeats of the same code instead of repeating them,
 * so a document with 10,000 unsupported runs yields one readable warning, not 10,000.
 */
export class WarningCollector {
  private readonly counts = new Map<string, { message: string; count: number }>();

  /** Records one occurrence of `code`; the first message given for a code is the one kept. */
  add(code: string, message: string): void {
    const existing = this.counts.get(code);
    if (existing) existing.count += 1;
    else this.counts.set(code, { message, count: 1 });
  }

  /** The collected warnings, in first-seen order, with a repeat count appended when above one. */
  list(): ConversionWarning[] {
    return [...this.counts].map(([code, { message, count }]) => ({
      code,
      message: count > 1 ? `${message} (${count} times)` : message,
    }));
  }
}
