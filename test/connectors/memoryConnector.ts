import type { Node as PMNode } from '@tiptap/pm/model';
import type * as Y from 'yjs';
import type { Connector, PushResult, RemoteSnapshot, RemoteTarget } from '../../connectors/sync/connector.ts';
import { RemoteError } from '../../connectors/sync/remoteErrors.ts';
import { ChangedIds } from '../helpers/changedIds.ts';
import { MemoryRemote } from '../unit/sync/memoryRemote.ts';

/** How many revisions back a write may be based (the Google emulator's window: `DEFAULT_REVISION_WINDOW`). */
const REVISION_WINDOW = 50;

/**
 * An in-memory suite with many files (each a `MemoryRemote`: numbered revisions, writes transformed from
 * their base revision like Google's targetRevisionId), a fault queue, revocation, deletion and a change feed:
 * the reference remote of the conformance suite, free of any provider's quirks.
 */
export class MemoryConnector implements Connector<null> {
  readonly provider = 'memory';
  private readonly files = new Map<string, MemoryRemote>();
  private readonly faults: RemoteError[] = [];
  private revoked = false;
  private readonly changed = new ChangedIds();
  private nextId = 1;
  writes = 0;

  /** A new file holding these paragraphs. */
  create(paragraphs: string[]): string {
    const id = `memory-${this.nextId++}`;
    const content = paragraphs.map((text) => ({
      type: 'paragraph',
      ...(text ? { content: [{ type: 'text', text }] } : {}),
    }));
    this.files.set(
      id,
      new MemoryRemote({ type: 'doc', content: content.length ? content : [{ type: 'paragraph' }] }),
    );
    return id;
  }

  file(id: string): MemoryRemote {
    const file = this.files.get(id);
    if (!file) throw new RemoteError('REMOTE_NOT_FOUND', `no file ${id}`);
    return file;
  }

  /** A user's edit of file `id`; the change feed reports it. */
  userEdit(id: string, change: (fragment: Y.XmlFragment) => void): void {
    this.file(id).edit(change);
    this.changed.add(id);
  }

  failNext(error: RemoteError, count: number): void {
    for (let i = 0; i < count; i++) this.faults.push(error);
  }

  revoke(): void {
    this.revoked = true;
  }

  delete(id: string): void {
    this.files.delete(id);
  }

  openChangeFeed() {
    return this.changed.feed();
  }

  async fetch(target: RemoteTarget): Promise<RemoteSnapshot<null>> {
    this.check();
    return this.file(target.remoteId).fetch(target);
  }

  async push(target: RemoteTarget, base: RemoteSnapshot<null>, next: PMNode): Promise<PushResult> {
    this.check();
    // Like Google's targetRevisionId: a write based too far back is refused, the engine pulls and retries.
    const file = this.file(target.remoteId);
    if (Number(file.rev.slice(1)) - Number(base.rev.slice(1)) > REVISION_WINDOW)
      throw new RemoteError('LINK_REVISION_CONFLICT', `revision ${base.rev} is too old`);
    const result = await this.file(target.remoteId).push(target, base, next);
    this.writes += 1;
    return result;
  }

  encodeBase(): Uint8Array {
    return new Uint8Array();
  }

  private check(): void {
    if (this.revoked) throw new RemoteError('REMOTE_AUTH_FAILED', 'credential revoked');
    const fault = this.faults.shift();
    if (fault) throw fault;
  }
}
