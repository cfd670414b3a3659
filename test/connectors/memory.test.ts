import type { JSONContent } from '@tiptap/core';
import * as Y from 'yjs';
import { RemoteError } from '../../connectors/sync/remoteErrors.ts';
import { describeConnectorConformance } from './conformance.ts';
import { MemoryConnector } from './memoryConnector.ts';

const statusErrors = {
  429: (retryAfter?: number) =>
    new RemoteError('REMOTE_RATE_LIMITED', '429', retryAfter === undefined ? null : retryAfter * 1000),
  500: () => new RemoteError('REMOTE_UNAVAILABLE', '500'),
  503: () => new RemoteError('REMOTE_UNAVAILABLE', '503'),
};

/** The reference remote: the engine's contract with no provider in the way. */
describeConnectorConformance('in-memory remote', async () => {
  const connector = new MemoryConnector();
  return {
    connector,
    async createFile(paragraphs) {
      const id = connector.create(paragraphs);
      return { linkId: `link-${id}`, remoteId: id };
    },
    async userInsert(target, index, text) {
      connector.userEdit(target.remoteId, (fragment) => {
        const paragraph = fragment.get(index) as Y.XmlElement;
        if (!(paragraph.get(0) instanceof Y.XmlText)) paragraph.insert(0, [new Y.XmlText('')]);
        (paragraph.get(0) as Y.XmlText).insert(0, text);
      });
    },
    async paragraphs(target) {
      const content = connector.file(target.remoteId).content() as JSONContent;
      return (content.content ?? []).map((block) => (block.content ?? []).map((n) => n.text ?? '').join(''));
    },
    async writeCalls() {
      return connector.writes;
    },
    async failNext(status, count, retryAfterSeconds) {
      connector.failNext(statusErrors[status](retryAfterSeconds), count);
    },
    async revokeCredential() {
      connector.revoke();
    },
    async deleteFile(target) {
      connector.delete(target.remoteId);
    },
  };
});
