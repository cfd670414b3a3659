/**
 * Link figures (issue #11): CPU per pull and per push for a 200-paragraph Google document through the Google
 * connector's conversion and write path over the in-process document engine; database writes per idle poll;
 * live documents loaded and unloaded per minute for a linked document nobody has open.
 */
import { Hocuspocus } from '@hocuspocus/server';
import * as Y from 'yjs';
import { LinkRunner } from '../../connectors/sync/linkRunner.ts';
import type { LinkPersistence, LinkState } from '../../connectors/sync/linkState.ts';
import { LinkSync } from '../../connectors/sync/linkSync.ts';
import { HocuspocusLiveDocuments } from '../../server/links/liveDocuments.ts';
import { liveText } from '../../test/helpers/googleDocs.ts';
import { EngineRemote } from '../../test/unit/sync/engineRemote.ts';

export interface LinkFigures {
  cpuMsPerPull: number;
  cpuMsPerPush: number;
  dbWritesPerIdlePoll: number;
  loadsPerMinuteUnopened: number;
  unloadsPerMinuteUnopened: number;
}

const PARAGRAPHS = 200;
const ROUNDS = 20;

/** A link state store that counts its writes. */
function countingPersistence() {
  let state: LinkState = { shadow: null, remoteRev: null, remoteSnapshot: null, pendingPush: null };
  const counts = { writes: 0 };
  const persistence: LinkPersistence = {
    async commit(next) {
      counts.writes += 1;
      state = next;
    },
    async recordPush() {
      counts.writes += 1;
    },
    async setStatus() {
      counts.writes += 1;
    },
  };
  return { persistence, counts, state: () => state };
}

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function paragraphTexts(): string[] {
  return Array.from({ length: PARAGRAPHS }, (_, i) => `Paragraph ${i} with some ordinary words in it.`);
}

async function pullAndPushCost(): Promise<{ pull: number; push: number }> {
  const remote = new EngineRemote(paragraphTexts());
  const live = new Y.Doc();
  const { persistence, state } = countingPersistence();
  const liveDoc = {
    state: () => Y.encodeStateAsUpdate(live),
    applyDurable: (u: Uint8Array) => Y.applyUpdate(live, u),
  };
  const link = new LinkSync({ linkId: 'bench', remoteId: 'engine' }, remote, liveDoc, persistence, state());
  await link.initialize('remote');
  let pull = 0;
  for (let i = 0; i < ROUNDS; i++) {
    const start = remote.document.body!.content!.filter((e) => e.paragraph)[i * 7]!.startIndex!;
    remote.edit([{ insertText: { location: { index: start }, text: `r${i} ` } }]);
    const before = cpuMs();
    await link.pull();
    pull += cpuMs() - before;
  }
  let push = 0;
  for (let i = 0; i < ROUNDS; i++) {
    liveText(live, i * 9 + 1).insert(0, `w${i} `);
    const before = cpuMs();
    await link.push();
    push += cpuMs() - before;
  }
  return { pull: pull / ROUNDS, push: push / ROUNDS };
}

/**
 * Runs a link's runner for `windowMs` on a document nobody has open, at a tenth of the real timing (so 6 s
 * stand for a minute), counting status/state writes per poll and document loads and unloads.
 */
async function idleCost(): Promise<{ writesPerPoll: number; loads: number; unloads: number }> {
  const counts = { loads: 0, unloads: 0, polls: 0 };
  const hocuspocus = new Hocuspocus({
    quiet: true,
    unloadImmediately: true,
    extensions: [
      {
        async afterLoadDocument() {
          counts.loads += 1;
        },
        async afterUnloadDocument() {
          counts.unloads += 1;
        },
      },
    ],
  });
  const remote = new EngineRemote(paragraphTexts());
  const fetch = remote.fetch.bind(remote);
  remote.fetch = (target) => {
    counts.polls += 1;
    return fetch(target);
  };
  const store = countingPersistence();
  const timing = {
    pushDebounceMs: 100,
    pushMaxWaitMs: 200,
    activePollMs: 100,
    quietPollMs: 1500,
    activeWindowMs: 6000,
  };
  // As the server configures it: a link lets its document go twice the quiet poll interval after its last step.
  const live = new HocuspocusLiveDocuments(hocuspocus, timing.quietPollMs * 2).attach('bench/idle', 'bench');
  const link = new LinkSync(
    { linkId: 'bench', remoteId: 'engine' },
    remote,
    live,
    store.persistence,
    store.state(),
  );
  const runner = new LinkRunner(link, store.persistence, timing, undefined, (step) => live.around(step));
  await runner.initialize('remote');
  await runner.idle();
  const writesBefore = store.counts.writes;
  const pollsBefore = counts.polls;
  const loadsBefore = counts.loads;
  const unloadsBefore = counts.unloads;
  runner.remoteChanged();
  await new Promise((resolve) => setTimeout(resolve, 6000));
  // Counted before stopping: the figure is for a link that is running (stopping lets the document go).
  const figures = {
    writesPerPoll: (store.counts.writes - writesBefore) / Math.max(1, counts.polls - pollsBefore),
    loads: counts.loads - loadsBefore,
    unloads: counts.unloads - unloadsBefore,
  };
  await runner.stop();
  await live.release();
  return figures;
}

/** Runs the link figures and returns them (the caller prints them). */
export async function runLinkBench(): Promise<LinkFigures> {
  const { pull, push } = await pullAndPushCost();
  const idle = await idleCost();
  return {
    cpuMsPerPull: Math.round(pull * 10) / 10,
    cpuMsPerPush: Math.round(push * 10) / 10,
    dbWritesPerIdlePoll: Math.round(idle.writesPerPoll * 100) / 100,
    loadsPerMinuteUnopened: idle.loads,
    unloadsPerMinuteUnopened: idle.unloads,
  };
}

/** The figures as a table for stdout. */
export function linkTable(figures: LinkFigures): string {
  return [
    'link figures (200-paragraph Google document, in-process Google engine)',
    `  CPU per pull                          ${figures.cpuMsPerPull} ms`,
    `  CPU per push (incl. its re-read)      ${figures.cpuMsPerPush} ms`,
    `  database writes per idle poll         ${figures.dbWritesPerIdlePoll}`,
    `  loads / unloads per minute, unopened  ${figures.loadsPerMinuteUnopened} / ${figures.unloadsPerMinuteUnopened}`,
  ].join('\n');
}
