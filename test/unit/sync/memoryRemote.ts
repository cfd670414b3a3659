import type { JSONContent } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { yXmlFragmentToProseMirrorRootNode } from 'y-prosemirror';
import * as Y from 'yjs';
import { schema, validateDoc } from '../../../connectors/model/schema.ts';
import {
  applyJsonToFragment,
  applyNodeToFragment,
  documentFragment,
  fromYjs,
} from '../../../connectors/model/yjs.ts';
import type {
  Connector,
  PushResult,
  ReadOptions,
  RemoteSnapshot,
  RemoteTarget,
} from '../../../connectors/sync/connector.ts';
import { RemoteError } from '../../../connectors/sync/remoteErrors.ts';

/**
 * An in-memory remote suite for the engine's own tests: revisions are numbered states of a Y.Doc, and a
 * write computed against an older revision is transformed over later edits by replaying it on a peer at that
 * revision (what Google's targetRevisionId promises). `strict` instead refuses any write not based on the
 * latest revision (requiredRevisionId / If-Match). Faults can be queued.
 */
export class MemoryRemote implements Connector<null> {
  readonly provider = 'memory';
  private readonly doc = new Y.Doc();
  private readonly states: Uint8Array[] = [];
  /** When each state was saved (the remote's clock, epoch ms). */
  private readonly savedAt: number[] = [];
  private peerClock = 1000;
  readonly faults: RemoteError[] = [];
  writes = 0;
  /** Writes refused for a stale revision (strict mode). */
  conflicts = 0;

  constructor(
    initial: JSONContent,
    private readonly strict = false,
  ) {
    applyJsonToFragment(documentFragment(this.doc), initial);
    this.save(Date.now());
  }

  get rev(): string {
    return `r${this.states.length - 1}`;
  }

  content(): JSONContent {
    return fromYjs(this.doc);
  }

  /** A remote user's edit, made directly on the remote, saved at `savedAt` (now by default). */
  edit(change: (fragment: Y.XmlFragment) => void, savedAt = Date.now()): void {
    this.doc.transact(() => change(documentFragment(this.doc)));
    this.save(savedAt);
  }

  private save(at: number): void {
    this.states.push(Y.encodeStateAsUpdate(this.doc));
    this.savedAt.push(at);
  }

  /** Reads counted, for the "one re-read per push" figure. */
  reads = 0;
  /** Reads asked for as urgent (a document someone has open). */
  urgentReads = 0;

  async fetch(_target: RemoteTarget, options: ReadOptions = {}): Promise<RemoteSnapshot<null>> {
    const fault = this.faults.shift();
    if (fault) throw fault;
    this.reads += 1;
    if (options.urgent) this.urgentReads += 1;
    // The remote's own Yjs content is schema-built, so it is read as a node without another validation.
    const fragment = documentFragment(this.doc);
    const doc =
      fragment.length > 0 ? yXmlFragmentToProseMirrorRootNode(fragment, schema) : validateDoc(this.content());
    return { rev: this.rev, doc, base: null, warnings: [], modifiedAt: this.savedAt.at(-1)! };
  }

  encodeBase(): Uint8Array {
    return new Uint8Array();
  }

  async push(_target: RemoteTarget, base: RemoteSnapshot<null>, next: PMNode): Promise<PushResult> {
    const fault = this.faults.shift();
    if (fault) throw fault;
    const index = Number(base.rev.slice(1));
    if (!(index >= 0 && index < this.states.length))
      throw new RemoteError('REMOTE_REJECTED', 'unknown revision');
    if (this.strict && base.rev !== this.rev) {
      this.conflicts += 1;
      throw new RemoteError('LINK_REVISION_CONFLICT', 'revision moved');
    }
    const peer = new Y.Doc();
    peer.clientID = this.peerClock++;
    Y.applyUpdate(peer, this.states[index]!);
    const before = Y.encodeStateVector(peer);
    applyNodeToFragment(documentFragment(peer), next);
    Y.applyUpdate(this.doc, Y.encodeStateAsUpdate(peer, before));
    this.save(Date.now());
    this.writes += 1;
    return { rev: this.rev, requests: 1 };
  }
}
