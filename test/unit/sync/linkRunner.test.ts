import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { documentFragment, fromYjs } from '../../../connectors/model/yjs.ts';
import { LinkRunner, type RunnerTiming } from '../../../connectors/sync/linkRunner.ts';
import type { LinkPersistence, LinkState, LinkStatus } from '../../../connectors/sync/linkState.ts';
import { LinkSync } from '../../../connectors/sync/linkSync.ts';
import { RemoteError } from '../../../connectors/sync/remoteErrors.ts';
import { sameContent } from '../../../connectors/sync/shadowDoc.ts';
import { waitFor } from '../../helpers/clients.ts';
import { MemoryRemote } from './memoryRemote.ts';

const fast: RunnerTiming = {
  pushDebounceMs: 20,
  pushMaxWaitMs: 60,
  activePollMs: 20,
  quietPollMs: 80,
  activeWindowMs: 500,
};
const retry = { baseMs: 20, maxMs: 100, quarantineAfter: 4 };

function setup() {
  const remote = new MemoryRemote({
    type: 'doc',
    content: [{ type: 'paragraph', content: [{ type: 'text', text: 'start' }] }],
  });
  const live = new Y.Doc();
  const statuses: LinkStatus[] = [];
  let state: LinkState = { shadow: null, remoteRev: null, remoteSnapshot: null, pendingPush: null };
  const persistence: LinkPersistence = {
    async commit(next) {
      state = next;
    },
    async setStatus(status) {
      if (statuses.at(-1) !== status) statuses.push(status);
    },
  };
  const sync = new LinkSync(
    { linkId: 'l', remoteId: 'r' },
    remote,
    { state: () => Y.encodeStateAsUpdate(live), applyDurable: (u) => Y.applyUpdate(live, u, 'link') },
    persistence,
    state,
  );
  const runner = new LinkRunner(sync, persistence, fast, retry);
  live.on('update', (_u: Uint8Array, origin: unknown) => origin !== 'link' && runner.liveChanged());
  const firstText = (doc: Y.Doc) => (documentFragment(doc).get(0) as Y.XmlElement).get(0) as Y.XmlText;
  const converged = () => sameContent(fromYjs(live), remote.content());
  return { remote, live, runner, statuses, firstText, converged };
}

describe('LinkRunner', () => {
  it("polls with background reads, and with urgent ones (served first from the credential's budget) while a web session is open", async () => {
    const t = setup();
    await t.runner.start();
    // Active after the start: polled, in the background.
    await waitFor(() => t.remote.reads >= 3, 'background polls');
    expect(t.remote.urgentReads).toBe(0);
    t.runner.setWebSessions(1);
    await waitFor(() => t.remote.urgentReads >= 2, 'urgent polls while the document is open');
    t.runner.setWebSessions(0);
    const urgent = t.remote.urgentReads;
    const reads = t.remote.reads;
    await waitFor(() => t.remote.reads >= reads + 2, 'background polls again');
    // At most the poll already under way when the session closed was urgent.
    expect(t.remote.urgentReads).toBeLessThanOrEqual(urgent + 1);
    await t.runner.stop();
  });

  it('pushes live edits after the debounce and pulls remote edits by polling', async () => {
    const t = setup();
    await t.runner.start();
    t.runner.setWebSessions(1);
    expect(t.converged()).toBe(true);
    t.firstText(t.live).insert(5, ' web');
    await waitFor(() => JSON.stringify(t.remote.content()).includes('start web'), 'the push');
    t.remote.edit((f) => ((f.get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'suite '));
    await waitFor(() => t.firstText(t.live).toString() === 'suite start web', 'the pull');
    await t.runner.stop();
    expect(t.statuses).toContain('synced');
  });

  it('rides out transient failures with back-off and reports them', async () => {
    const t = setup();
    await t.runner.start();
    t.remote.faults.push(
      new RemoteError('REMOTE_RATE_LIMITED', '429', 50),
      new RemoteError('REMOTE_UNAVAILABLE', '503'),
    );
    t.firstText(t.live).insert(0, 'x');
    await waitFor(
      () => t.converged() && t.runner.state.status === 'synced' && t.statuses.includes('error'),
      'recovery',
    );
    expect(t.runner.state.lastError).toBeNull();
    await t.runner.stop();
  });

  it('quarantines a link whose credential is refused, and stops trying', async () => {
    const t = setup();
    await t.runner.start();
    t.remote.faults.push(new RemoteError('REMOTE_AUTH_FAILED', 'invalid_grant'));
    t.firstText(t.live).insert(0, 'x');
    await waitFor(() => t.runner.state.status === 'quarantined', 'quarantine');
    expect(t.runner.state.message).toBe('REMOTE_AUTH_FAILED: invalid_grant');
    const writes = t.remote.writes;
    t.firstText(t.live).insert(0, 'y');
    await new Promise((r) => setTimeout(r, 200));
    expect(t.remote.writes).toBe(writes);
    await t.runner.stop();
  });

  it('hands over as soon as the instance that had the live client says it left, and a report older than that does not hold again', async () => {
    const t = setup();
    await t.runner.start();
    t.runner.remoteLiveClients('Word', 1_000);
    expect(t.runner.held).toBe(true);
    const writes = t.remote.writes;
    t.firstText(t.live).insert(5, ' [typed while live]');
    await waitFor(() => t.runner.state.message?.startsWith('live in Word') ?? false, 'the hold reported');
    t.runner.remoteLiveClientsLeft({ stateAtEnd: Y.encodeStateAsUpdate(t.live), endedAt: 2_000 });
    // Not when that instance's reports run out: now.
    expect(t.runner.held).toBe(false);
    await waitFor(() => t.remote.writes > writes && t.converged(), 'the upload after the hand-over');
    // That instance's last report, read after its notice: not a new session.
    t.runner.remoteLiveClients('Word', 1_500);
    expect(t.runner.held).toBe(false);
    t.runner.remoteLiveClients('Word', 2_500);
    expect(t.runner.held).toBe(true);
    await t.runner.stop();
  });

  it('when another instance’s reports run out, ends the session at its last report: a Word save made since is applied', async () => {
    const t = setup();
    await t.runner.start();
    // A report a minute old (read by an instance that just took the link over), then Word saved, no add-in.
    t.runner.remoteLiveClients('Word', Date.now() - 60_000);
    expect(t.runner.held).toBe(true);
    t.remote.edit(
      (f) => ((f.get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'word '),
      Date.now() - 30_000,
    );
    await waitFor(
      () => !t.runner.held && t.firstText(t.live).toString() === 'word start',
      'the save',
      20_000,
    );
    await t.runner.idle();
    expect(t.converged()).toBe(true);
    await t.runner.stop();
  });
});
