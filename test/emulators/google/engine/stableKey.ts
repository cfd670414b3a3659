/** Canonical JSON of a value with sorted object keys, cached per object: style equality without key-order noise. */
const cache = new WeakMap<object, string>();

/** The canonical key of `value` (objects compared by content, not by identity or key order). */
export function stableKey(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  const hit = cache.get(value);
  if (hit !== undefined) return hit;
  let out: string;
  if (Array.isArray(value)) out = `[${value.map(stableKey).join(',')}]`;
  else {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    out = `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableKey(v)}`).join(',')}}`;
  }
  cache.set(value, out);
  return out;
}
