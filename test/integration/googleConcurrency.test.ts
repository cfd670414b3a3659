import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/clients.ts';
import { googleParagraphs, liveParagraphs, liveText } from '../helpers/googleDocs.ts';
import { type GoogleLinkEnv, startGoogleLinkEnv } from '../helpers/googleLinkEnv.ts';
import { markerBoundaries as boundaries, marker } from '../helpers/markers.ts';
import { seededRandom } from '../helpers/random.ts';

let env: GoogleLinkEnv;
beforeAll(async () => {
  env = await startGoogleLinkEnv();
});
afterAll(() => env?.close());

describe('concurrent edits on both sides converge with nothing lost', () => {
  for (const [round, seed] of [11, 22, 33].entries()) {
    it(`seed ${seed}: 200 random operations from a web client and a Google user`, async () => {
      const random = seededRandom(seed);
      const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!;
      const googleId = await env.newGoogleDoc(['one', 'two', 'three']);
      const doc = `dept-a/concurrent-${seed}`;
      expect((await env.link(doc, googleId)).status).toBe(201);
      const client = await env.client(doc);
      await waitFor(() => liveParagraphs(client.doc).length === 3, 'the linked content');

      const inserted: string[] = [];
      const from = new Map<string, string>();
      const deleted = new Set<string>();
      for (let op = 0; op < 200; op++) {
        const m = marker(round * 1000 + op);
        const web = random() < 0.5;
        const remove = random() < 0.1;
        if (web) {
          const paragraphs = liveParagraphs(client.doc);
          const i = Math.floor(random() * paragraphs.length);
          const text = liveText(client.doc, i);
          const present = inserted.filter((x) => !deleted.has(x) && text.toString().includes(x));
          if (remove && present.length > 0) {
            const victim = pick(present);
            text.delete(text.toString().indexOf(victim), victim.length);
            deleted.add(victim);
          } else {
            text.insert(pick(boundaries(text.toString())), m);
            inserted.push(m);
            from.set(m, `web op ${op}`);
          }
        } else {
          const gdoc = await env.googleDoc(googleId);
          const paragraphs = gdoc.body.content.filter((e) => e.paragraph);
          const i = Math.floor(random() * paragraphs.length);
          const start = paragraphs[i]!.startIndex!;
          const text = googleParagraphs(gdoc)[i]!;
          const present = inserted.filter((x) => !deleted.has(x) && text.includes(x));
          if (remove && present.length > 0) {
            const victim = pick(present);
            const at = start + text.indexOf(victim);
            await env.googleEdit(
              googleId,
              [{ deleteContentRange: { range: { startIndex: at, endIndex: at + victim.length } } }],
              gdoc.revisionId,
            );
            deleted.add(victim);
          } else {
            await env.googleEdit(
              googleId,
              [{ insertText: { location: { index: start + pick(boundaries(text)) }, text: m } }],
              gdoc.revisionId,
            );
            inserted.push(m);
          }
        }
        await new Promise((r) => setTimeout(r, 10 + random() * 40));
      }

      // Quiescence: both sides equal, and still equal a little later.
      const same = async () =>
        JSON.stringify(googleParagraphs(await env.googleDoc(googleId))) ===
        JSON.stringify(liveParagraphs(client.doc));
      const deadline = Date.now() + 60_000;
      while (!(await same()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      await new Promise((r) => setTimeout(r, 3000));
      const google = googleParagraphs(await env.googleDoc(googleId));
      expect(liveParagraphs(client.doc), `seed ${seed}: web and Google differ`).toEqual(google);
      const all = google.join('\n');
      const lost = inserted.filter((m) => !deleted.has(m) && !all.includes(m));
      const duplicated = inserted.filter((m) => all.split(m).length > 2);
      const resurrected = [...deleted].filter((m) => all.includes(m));
      console.log(
        `seed ${seed}: ${inserted.length} markers inserted, ${deleted.size} deleted; lost ${lost.length}, duplicated ${duplicated.length}, resurrected ${resurrected.length}`,
      );
      if (lost.length || duplicated.length || resurrected.length) {
        const warnings = env.server
          .output()
          .split('\n')
          .filter((line) => line.startsWith('{') && !line.includes('"level":30'));
        console.log(
          `seed ${seed}: lost ${lost.map((m) => `${m} (${from.get(m)})`).join(', ')}\n${warnings.join('\n')}`,
        );
      }
      expect({ lost, duplicated, resurrected }).toEqual({ lost: [], duplicated: [], resurrected: [] });
    });
  }
});
