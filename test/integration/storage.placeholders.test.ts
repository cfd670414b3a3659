import { describe, expect, it } from 'vitest';
import { bindOrder, translatePlaceholders } from '../../server/storage/sqlitePlaceholders.ts';

describe('translatePlaceholders (SQLite side of Storage.sql)', () => {
  it('expands $n in order of appearance, repeating and reordering the values', () => {
    const translated = translatePlaceholders('SELECT $2, $1, $2 FROM t WHERE a = $10');
    expect(translated.text).toBe('SELECT ?, ?, ? FROM t WHERE a = ?');
    expect(translated.arity).toBe(10);
    const values = Array.from({ length: 10 }, (_, i) => `v${i + 1}`);
    expect(bindOrder(translated, values)).toEqual(['v2', 'v1', 'v2', 'v10']);
  });

  it('leaves quoted strings, quoted identifiers and comments alone', () => {
    const sql = `SELECT '$1 it''s', "col$2", $1 -- $3 here\n/* $4 */ FROM t`;
    const translated = translatePlaceholders(sql);
    expect(translated.text).toBe(`SELECT '$1 it''s', "col$2", ? -- $3 here\n/* $4 */ FROM t`);
    expect(translated.order).toEqual([0]);
  });

  it('rejects $0 and a value count that differs from the highest placeholder', () => {
    expect(() => translatePlaceholders('SELECT $0')).toThrow(
      expect.objectContaining({ code: 'STORAGE_SQL_INVALID' }),
    );
    const translated = translatePlaceholders('SELECT $1, $3');
    expect(() => bindOrder(translated, [1, 2])).toThrow(
      expect.objectContaining({ code: 'STORAGE_SQL_INVALID' }),
    );
    expect(bindOrder(translated, [1, 2, 3])).toEqual([1, 3]);
  });

  it('keeps text without placeholders unchanged', () => {
    expect(translatePlaceholders('SELECT 1 AS "$"')).toEqual({
      text: 'SELECT 1 AS "$"',
      order: [],
      arity: 0,
    });
  });
});
