import { StorageError } from './storageError.ts';

/** SQL rewritten for SQLite: anonymous `?` placeholders and, for each, the 0-based index of its value. */
export interface TranslatedSql {
  readonly text: string;
  readonly order: readonly number[];
  /** Highest `$n` used: the number of values the caller must pass. */
  readonly arity: number;
}

/**
 * Rewrites PostgreSQL placeholders (`$1..$n`) into anonymous `?` ones with the values reordered and repeated
 * to match. Written by hand (no library does this one job): better-sqlite3 binds SQLite's own numbered `?NNN`
 * parameters by name and rejects a list whose numbers skip or repeat, so expanding in order of appearance is
 * the dependable mapping. Quoted strings, quoted identifiers and comments are copied untouched.
 */
export function translatePlaceholders(sql: string): TranslatedSql {
  let text = '';
  const order: number[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    const end = skipQuotedOrComment(sql, i);
    if (end > i) {
      text += sql.slice(i, end);
      i = end;
      continue;
    }
    if (ch === '$' && /[0-9]/.test(sql[i + 1] ?? '')) {
      let j = i + 1;
      while (j < sql.length && /[0-9]/.test(sql[j]!)) j++;
      const n = Number(sql.slice(i + 1, j));
      if (n < 1) throw new StorageError('STORAGE_SQL_INVALID', 'SQL placeholders are numbered from $1');
      order.push(n - 1);
      text += '?';
      i = j;
      continue;
    }
    text += ch;
    i++;
  }
  return { text, order, arity: order.reduce((max, index) => Math.max(max, index + 1), 0) };
}

/** End index of the quoted string, quoted identifier or comment starting at `i`, or `i` if none starts there. */
function skipQuotedOrComment(sql: string, i: number): number {
  const ch = sql[i];
  if (ch === "'" || ch === '"') {
    let j = i + 1;
    for (;;) {
      const close = sql.indexOf(ch, j);
      if (close < 0) return sql.length;
      if (sql[close + 1] === ch) {
        j = close + 2; // doubled quote: an escaped quote inside the literal
        continue;
      }
      return close + 1;
    }
  }
  if (ch === '-' && sql[i + 1] === '-') {
    const newline = sql.indexOf('\n', i);
    return newline < 0 ? sql.length : newline;
  }
  if (ch === '/' && sql[i + 1] === '*') {
    const close = sql.indexOf('*/', i + 2);
    return close < 0 ? sql.length : close + 2;
  }
  return i;
}

/** The values in the order `translated` binds them; rejects a count that differs from the placeholders'. */
export function bindOrder(translated: TranslatedSql, params: readonly unknown[]): unknown[] {
  if (params.length !== translated.arity) {
    throw new StorageError(
      'STORAGE_SQL_INVALID',
      `statement uses ${translated.arity} placeholder(s) but ${params.length} value(s) were passed`,
    );
  }
  return translated.order.map((index) => params[index]);
}
