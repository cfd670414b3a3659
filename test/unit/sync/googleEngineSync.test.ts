import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { fromYjs } from '../../../connectors/model/yjs.ts';
import type { LinkPersistence, LinkState, LiveDocument } from '../../../connectors/sync/linkState.ts';
import { LinkSync } from '../../../connectors/sync/linkSync.ts';
import { sameContent } from '../../../connectors/sync/shadowDoc.ts';
import { googleParagraphs, liveParagraphs, liveText } from '../../helpers/googleDocs.ts';
import { markerBoundaries as boundaries, marker } from '../../helpers/markers.ts';
import { seededRandom } from '../../helpers/random.ts';
import { EngineRemote } from './engineRemote.ts';

/** One seeded run: random inserts and deletes on both sides, syncs at random moments, then quiescence. */
async function run(seed: number, steps: number, trace?: (line: string) => void) {
  const random = seededRandom(seed);
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!;
  const remote = new EngineRemote(['one', 'two', 'three']);
  const live = new Y.Doc();
  let state: LinkState = { shadow: null, remoteRev: null, remoteSnapshot: null, pendingPush: null };
  const liveDoc: LiveDocument = {
    state: () => Y.encodeStateAsUpdate(live),
    applyDurable: (u) => Y.applyUpdate(live, u, 'link'),
  };
  const persistence: LinkPersistence = {
    async commit(next) {
      state = next;
    },
    async setStatus() {},
  };
  const target = { linkId: `seed-${seed}`, remoteId: 'engine' };
  let link = new LinkSync(target, remote, liveDoc, persistence, state);
  await link.initialize('remote');
  const inserted: string[] = [];
  const deleted = new Set<string>();
  for (let step = 0; step < steps; step++) {
    const m = marker(step);
    const remove = random() < 0.15;
    if (random() < 0.5) {
      const i = Math.floor(random() * liveParagraphs(live).length);
      const text = liveText(live, i);
      const present = inserted.filter((x) => !deleted.has(x) && text.toString().includes(x));
      if (remove && present.length > 0) {
        const victim = pick(present);
        text.delete(text.toString().indexOf(victim), victim.length);
        deleted.add(victim);
        trace?.(`web delete ${victim} in p${i}`);
      } else {
        const at = pick(boundaries(text.toString()));
        text.insert(at, m);
        inserted.push(m);
        trace?.(`web insert ${m} p${i}@${at}`);
      }
    } else {
      const paragraphs = remote.document.body!.content!.filter((e) => e.paragraph);
      const i = Math.floor(random() * paragraphs.length);
      const start = paragraphs[i]!.startIndex!;
      const text = googleParagraphs(remote.document as never)[i]!;
      const present = inserted.filter((x) => !deleted.has(x) && text.includes(x));
      if (remove && present.length > 0) {
        const victim = pick(present);
        const at = start + text.indexOf(victim);
        remote.edit([{ deleteContentRange: { range: { startIndex: at, endIndex: at + victim.length } } }]);
        deleted.add(victim);
        trace?.(`google delete ${victim} in p${i}`);
      } else {
        const offset = pick(boundaries(text));
        remote.edit([{ insertText: { location: { index: start + offset }, text: m } }]);
        inserted.push(m);
        trace?.(`google insert ${m} p${i}@${offset}`);
      }
    }
    const r = random();
    if (r < 0.2) {
      await link.pull();
      trace?.(`pull -> live ${JSON.stringify(liveParagraphs(live))}`);
    } else if (r < 0.4) {
      await link.push();
      trace?.(
        `push -> google ${JSON.stringify(googleParagraphs(remote.document as never))} live ${JSON.stringify(liveParagraphs(live))}`,
      );
    } else if (r < 0.43) {
      link = new LinkSync(target, remote, liveDoc, persistence, state);
      trace?.('restart');
    }
  }
  await link.push();
  await link.pull();
  const google = googleParagraphs(remote.document as never);
  const all = google.join('\n');
  return {
    converged:
      sameContent(fromYjs(live), (await remote.fetch(target)).doc) &&
      JSON.stringify(google) === JSON.stringify(liveParagraphs(live)),
    lost: inserted.filter((m) => !deleted.has(m) && !all.includes(m)),
    duplicated: inserted.filter((m) => all.split(m).length > 2),
    resurrected: [...deleted].filter((m) => all.includes(m)),
  };
}

describe('LinkSync against the Google request engine (targetRevisionId), seeded random edits', () => {
  it('converges and keeps every marker not deliberately deleted', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 30 }), async (seed) => {
        const result = await run(seed, 80);
        expect(result).toEqual({ converged: true, lost: [], duplicated: [], resurrected: [] });
      }),
      { numRuns: 100 },
    );
  });
});
