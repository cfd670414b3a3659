import { afterEach, describe, expect, it, vi } from 'vitest';
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

const startContent = {
  type: 'doc',
  content: [{ type: 'paragraph', content: [{ type: 'text', text: 'start' }] }],
};

/**
 * A remote with a change probe (Google's Drive `version`), whose probes can be slowed, as the credential's
 * quota queue or a slow remote would, and which reports the quota wait it is told to.
 */
class ProbedRemote extends MemoryRemote {
  probes = 0;
  probeDelayMs = 0;
  quotaWait = 0;

  async probe(): Promise<string> {
    this.probes += 1;
    if (this.probeDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.probeDelayMs));
    return this.rev;
  }

  quotaWaitMs(): number {
    return this.quotaWait;
  }
}

function setup(remote = new MemoryRemote(startContent)) {
  const live = new Y.Doc();
  const statuses: LinkStatus[] = [];
  /** Every status detail written, in order. */
  const messages: (string | undefined)[] = [];
  let state: LinkState = { shadow: null, remoteRev: null, remoteSnapshot: null, pendingPush: null };
  const persistence: LinkPersistence = {
    async commit(next) {
      state = next;
    },
    async setStatus(status, detail) {
      if (statuses.at(-1) !== status) statuses.push(status);
      messages.push(detail.message);
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
  return { remote, live, runner, statuses, messages, firstText, converged };
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

  it('says in the status when an open document is polled less often than asked, and why', async () => {
    const probed = new ProbedRemote(startContent);
    // Asked every 20 ms, polled every ~120 ms or more: the quota's queue explains it...
    probed.probeDelayMs = 100;
    probed.quotaWait = 90;
    const t = setup(probed);
    await t.runner.start();
    t.runner.setWebSessions(1);
    const slowed = /^checked for remote changes every ([\d.]+) s instead of every 0\.02 s: (.*)$/;
    const latest = () => slowed.exec(t.messages.at(-1) ?? '');
    await waitFor(() => latest() !== null, 'the status to say the document is polled less often');
    expect(Number(latest()![1])).toBeGreaterThanOrEqual(0.1);
    expect(latest()![2]).toBe("the credential's request quota is shared with its other linked documents");
    // ...then the remote itself is slow...
    probed.quotaWait = 0;
    await waitFor(() => latest()?.[2] === 'the remote is slow to answer', 'the status to blame the remote');
    // ...then polls come as asked again, and the status says nothing more.
    probed.probeDelayMs = 0;
    await waitFor(() => t.messages.at(-1) === undefined, 'the status detail to clear');
    await t.runner.stop();
  });
});

describe('LinkRunner polling an open document (clock faked: poll counts over a known span of time)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const openAndWait = async (remote: MemoryRemote, ms: number) => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const t = setup(remote);
    // The start's own reads wait on the faked clock too: it is awaited once time has moved.
    const started = t.runner.start();
    t.runner.setWebSessions(1);
    await vi.advanceTimersByTimeAsync(ms);
    await started;
    return t;
  };

  it('keeps an open, quiet document at the active pace when the remote has a change probe', async () => {
    // 2 s of quiet at 20 ms a poll: about 100 probes, none of them a read.
    const probed = new ProbedRemote(startContent);
    const t = await openAndWait(probed, 2000);
    const reads = probed.reads;
    await vi.advanceTimersByTimeAsync(1000);
    expect(probed.probes).toBeGreaterThanOrEqual(120);
    expect(probed.reads).toBe(reads);
    await t.runner.stop();
  });

  it('slows an open, quiet document towards the quiet interval when the remote has no probe', async () => {
    // Without a probe every poll is a read of the quota: 80 ms apart once quiet, so well under 3,000 / 20.
    const plain = new MemoryRemote(startContent);
    const t = await openAndWait(plain, 3000);
    expect(plain.reads).toBeLessThan(60);
    await t.runner.stop();
  });
});
