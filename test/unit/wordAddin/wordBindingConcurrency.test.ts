import { afterEach, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import type { WordBinding } from '../../../client/word-addin/wordBinding.ts';
import { WordDocument } from '../../emulators/word/wordDocument.ts';
import { waitFor } from '../../helpers/clients.ts';
import { marker, markerBoundaries } from '../../helpers/markers.ts';
import { seededRandom } from '../../helpers/random.ts';
import { bindWord, blockTexts, paragraph, peers, webEdit } from '../../helpers/wordPeers.ts';

/**
 * Seeded random concurrency between a Word user (through the Word API emulator and the add-in's binding) and
 * a web peer of the shared document. Defaults keep the unit run short; for a long hunt:
 * `DOCBRIDGE_TEST_WORD_SEEDS=200 DOCBRIDGE_TEST_WORD_FIRST_SEED=1000 DOCBRIDGE_TEST_WORD_ROUNDS=60`.
 *
 * The Word user types (with Enter or not), splits, joins, deletes whole paragraphs and pastes without events,
 * also into paragraphs the binding is writing at that moment; the web peer edits and deletes the same
 * paragraphs meanwhile.
 */
const seeds = Number(process.env.DOCBRIDGE_TEST_WORD_SEEDS ?? 6);
const firstSeed = Number(process.env.DOCBRIDGE_TEST_WORD_FIRST_SEED ?? 1);
const rounds = Number(process.env.DOCBRIDGE_TEST_WORD_ROUNDS ?? 30);
const pollMs = 50;

const bindings: WordBinding[] = [];
afterEach(async () => {
  for (const binding of bindings.splice(0)) await binding.stop();
});

const p = paragraph;

/** The markers in `text`, in order (each marker is three characters, see markers.ts). */
const markersIn = (text: string, all: string[]) => all.filter((m) => text.includes(m));

/** One seeded run; returns what the oracle needs and a trace of every operation for the failure message. */
async function run(seed: number) {
  const random = seededRandom(seed);
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
  let next = seed * 1000;
  const fresh = () => marker(next++ % 6500);
  const inserted: string[] = [fresh(), fresh(), fresh()];
  const deleted = new Set<string>();
  const trace: string[] = [];

  const { addin, web } = peers({ content: inserted.map(p) });
  const word = new WordDocument([...inserted]);
  const binding = await bindWord(word, addin, { pollMs });
  bindings.push(binding);

  for (let round = 0; round < rounds; round++) {
    const state = { random, pick, fresh, inserted, deleted, trace };
    if (random() < 0.5) wordUserActs(word, state);
    else webUserActs(web, state);
    const pause = random();
    if (pause < 0.3) continue; // the next edit in the same turn
    if (pause < 0.4) await binding.idle();
    else await new Promise((resolve) => setTimeout(resolve, random() * 30));
  }

  // Convergence: Word and the web peer show the same paragraphs, with no pass running.
  await waitFor(
    async () => {
      await binding.idle();
      return JSON.stringify(word.texts()) === JSON.stringify(blockTexts(web));
    },
    `seed ${seed}: Word and the web peer to converge`,
    20_000,
  ).catch((error: Error) => {
    throw new Error(
      `${error.message}\nWord: ${JSON.stringify(word.texts())}\nweb:  ${JSON.stringify(blockTexts(web))}\n${trace.join('\n')}`,
    );
  });

  // Then nothing moves: several reconciliation periods write nothing to Word and nothing to the document.
  const writes = word.apiWrites;
  const updates: Uint8Array[] = [];
  const count = (update: Uint8Array) => updates.push(update);
  addin.on('update', count);
  await new Promise((resolve) => setTimeout(resolve, pollMs * 8));
  await binding.idle();
  addin.off('update', count);
  return {
    word,
    web,
    inserted,
    deleted,
    trace,
    echo: { writes: word.apiWrites - writes, updates: updates.length },
    // Only the binding writes through the API (the user types): its own count must be Word's.
    counted: { binding: binding.wordWrites, word: word.apiWrites },
  };
}

/** What both users' actions share: the seeded randomness, new markers, and the oracle's records. */
interface RunState {
  random: () => number;
  pick: <T>(items: T[]) => T;
  fresh: () => string;
  inserted: string[];
  deleted: Set<string>;
  trace: string[];
}

/** The Word user types a marker (maybe with Enter), splits, joins, deletes a paragraph or pastes. */
function wordUserActs(word: WordDocument, { random, pick, fresh, inserted, deleted, trace }: RunState) {
  const index = Math.floor(random() * word.paragraphs.length);
  const text = word.paragraphs[index]!.text;
  const at = pick(markerBoundaries(text));
  const action = random();
  const join = action >= 0.55 && action < 0.7 && word.paragraphs.length > 1;
  const remove = action >= 0.7 && action < 0.85 && word.paragraphs.length > 1;
  if (action < 0.45) {
    const m = fresh();
    inserted.push(m);
    const enter = random() < 0.25 ? '\n' : '';
    word.userType(index, at, random() < 0.5 ? m + enter : enter + m);
    trace.push(`word: type ${JSON.stringify(m + enter)} in ${index} at ${at}`);
  } else if (action < 0.55) {
    word.userType(index, at, '\n');
    trace.push(`word: Enter in ${index} at ${at}`);
  } else if (join) {
    const first = Math.min(index, word.paragraphs.length - 2);
    word.userJoin(first);
    trace.push(`word: join ${first} and ${first + 1}`);
  } else if (remove) {
    for (const m of markersIn(text, inserted)) deleted.add(m);
    word.userDeleteParagraph(index);
    trace.push(`word: delete paragraph ${index} ${JSON.stringify(text)}`);
  } else {
    const [a, b] = [fresh(), fresh()];
    inserted.push(a, b);
    word.userPaste(index, at, `${a}\n${b}`);
    trace.push(`word: paste (no event) ${a}\\n${b} in ${index} at ${at}`);
  }
}

/** The web peer prefixes or suffixes a block with a marker, inserts a block, or deletes one. */
function webUserActs(web: Y.Doc, { random, fresh, inserted, deleted, trace }: RunState) {
  const texts = blockTexts(web);
  const index = Math.floor(random() * texts.length);
  const action = random();
  if (action < 0.2 && texts.length > 1) {
    for (const m of markersIn(texts[index]!, inserted)) deleted.add(m);
    webEdit(web, (blocks) => blocks.splice(index, 1));
    trace.push(`web: delete block ${index} ${JSON.stringify(texts[index])}`);
    return;
  }
  const m = fresh();
  inserted.push(m);
  if (action < 0.4) {
    const at = Math.floor(random() * (texts.length + 1));
    webEdit(web, (blocks) => blocks.splice(at, 0, p(m)));
    trace.push(`web: insert block ${m} at ${at}`);
  } else {
    const prefix = random() < 0.5;
    const text = prefix ? m + texts[index] : texts[index] + m;
    webEdit(web, (blocks) => {
      blocks[index] = { ...blocks[index], ...p(text) };
    });
    trace.push(`web: ${prefix ? 'prefix' : 'suffix'} ${m} to block ${index}`);
  }
}

describe('Word add-in binding under concurrent edits (seeded random)', () => {
  for (let seed = firstSeed; seed < firstSeed + seeds; seed++) {
    it(`seed ${seed}: ${rounds} rounds of a Word user and a web peer editing at once`, async () => {
      const { word, web, inserted, deleted, trace, echo, counted } = await run(seed);
      expect(counted.binding, `seed ${seed}: the binding's count of Word writes`).toBe(counted.word);
      const count = (texts: string[], m: string) => texts.join('\n').split(m).length - 1;
      const wrong = (texts: string[]) =>
        inserted
          .map((m) => ({ m, want: deleted.has(m) ? 0 : 1, have: count(texts, m) }))
          .filter(({ want, have }) => want !== have)
          .map(({ m, want, have }) => `${m}: ${have} times, expected ${want}`);
      const report = { word: wrong(word.texts()), web: wrong(blockTexts(web)), echo };
      expect(report, `seed ${seed}\n${trace.join('\n')}\nWord: ${JSON.stringify(word.texts())}`).toEqual({
        word: [],
        web: [],
        echo: { writes: 0, updates: 0 },
      });
    });
  }
});
