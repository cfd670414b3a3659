import type { ChangeFeed } from '../../connectors/sync/changeFeed.ts';

/**
 * The ids of remote files users changed since the change feed last looked: the change feed of the in-process
 * remotes (`test/connectors/memoryConnector.ts`, `test/emulators/google/engineTransport.ts`), like Drive's
 * changes.list without its lag.
 */
export class ChangedIds {
  private ids = new Set<string>();

  add(id: string): void {
    this.ids.add(id);
  }

  feed(): ChangeFeed {
    return {
      poll: async () => {
        const ids = [...this.ids];
        this.ids = new Set();
        return ids;
      },
    };
  }
}
