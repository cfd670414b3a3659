/**
 * What a new snapshot records as `up_to`, shared by both back ends. Erasable TypeScript only: the SQLite writer
 * thread imports it under Node's type stripping.
 */

/**
 * The log entries a new snapshot contains: every entry up to `lastId` (a compaction that read the whole log), or
 * exactly `ids` (a compaction from memory, which leaves entries it does not know of in the log).
 */
export type FoldedEntries = { readonly lastId: number } | { readonly ids: readonly number[] };

/**
 * The `up_to` a new snapshot records: the highest id folded, and always more than the snapshot it replaces,
 * since compactions check that the snapshot did not change by its `up_to` (a compaction from memory can leave
 * entries with lower ids than its own behind, which a later compaction then folds).
 */
export function nextUpTo(previousUpTo: number | null, folded: FoldedEntries): number {
  const highest = 'lastId' in folded ? folded.lastId : folded.ids.reduce((max, id) => Math.max(max, id), 0);
  return Math.max((previousUpTo ?? 0) + 1, highest);
}
